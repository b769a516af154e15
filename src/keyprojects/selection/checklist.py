"""The formal check's checklist, generated from the call's rules.

Each item is computed from the application as it is now, reusing the rule functions of
applications.domain (the same ones the applicant's pre-check and submit use), so the
office and the applicant never read two versions of the notice. Category fit is a
judgement: the machine leaves it to the office.
"""

import dataclasses

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from keyprojects.applications import domain as rules_of_notice
from keyprojects.applications.models import Application, AttachmentKind
from keyprojects.applications.workflow import COUNTED

from .models import SimilarityRun, SimilarPair
from .similarity import continuation_terms

PASS, FAIL, WARNING = "pass", "fail", "warning"
RESULT_LABELS = {PASS: _("符合"), FAIL: _("不符合"), WARNING: _("请核实"), None: _("待判断")}


@dataclasses.dataclass(frozen=True)
class Item:
    key: str
    label: str
    auto: str | None  # PASS, FAIL or WARNING; None for a judgement the office makes
    detail: str = ""

    @property
    def auto_label(self):
        return RESULT_LABELS[self.auto]


def items_for(application: Application) -> list[Item]:
    call = application.call
    partners = list(application.partners.all())
    kinds = set(application.attachments.values_list("kind", flat=True))
    gap = similarity_gap(application)
    return [
        _threshold(application),
        _start(application),
        _period(application),
        _per_applicant_limit(application),
        _attachments(call, kinds),
        _partners(application, partners),
        _continuation(application, gap),
        _duplicates(application, gap),
        Item(
            "category_fit",
            str(_("符合所申报类别（%(category)s）的建设方向"))
            % {"category": application.category or "—"},
            None,
            str(_("人工判断：对照通知对该类别的要求。数字经济类不含生产线和产业园区建设。")),
        ),
    ]


def _messages(problems):
    return "；".join(str(p.message) for p in problems)


def _threshold(application):
    call = application.call
    label = str(_("信息化投资不低于 %(minimum)s 万元（不含土建）")) % {
        "minimum": f"{call.min_informatisation_investment:,.2f}"
    }
    amount = application.informatisation_investment
    if amount is None:
        return Item("threshold", label, FAIL, str(_("未填写总投资或土建工程投资。")))
    problems = rules_of_notice.money_problems(application)
    if problems:
        return Item("threshold", label, FAIL, _messages(problems))
    return Item(
        "threshold", label, PASS, str(_("信息化投资 %(n)s 万元。")) % {"n": f"{amount:,.2f}"}
    )


def _period_problems(application, field):
    return [p for p in rules_of_notice.period_problems(application) if p.field == field]


def _start(application):
    call = application.call
    label = str(_("开工时间不早于 %(month)s")) % {"month": f"{call.earliest_start:%Y年%m月}"}
    start = application.start_month
    if start is None:
        return Item("start", label, FAIL, str(_("未填写开工时间。")))
    problems = _period_problems(application, "start_month")
    if problems:
        return Item("start", label, FAIL, _messages(problems))
    return Item(
        "start", label, PASS, str(_("开工时间 %(start)s。")) % {"start": f"{start:%Y年%m月}"}
    )


def _period(application):
    call = application.call
    label = str(_("实施周期 %(nominal)d 个月左右（±%(tolerance)d 个月）")) % {
        "nominal": call.nominal_period_months,
        "tolerance": call.period_tolerance_months,
    }
    start, end = application.start_month, application.planned_completion_month
    if start is None or end is None:
        return Item("period", label, FAIL, str(_("未填写开工或计划完成时间。")))
    problems = _period_problems(application, "planned_completion_month")
    errors = rules_of_notice.blocking(problems)
    if errors:
        return Item("period", label, FAIL, _messages(errors))
    if problems:
        return Item("period", label, WARNING, _messages(problems))
    months = rules_of_notice.months_between(start, end)
    return Item("period", label, PASS, str(_("计划实施周期 %(n)d 个月。")) % {"n": months})


def _per_applicant_limit(application):
    call = application.call
    label = str(_("每个申报单位限报 %(n)d 个项目")) % {"n": call.per_applicant_limit}
    names = list(
        Application.objects.filter(
            call=call, organisation_id=application.organisation_id, status__in=COUNTED
        )
        .order_by("submitted_at")
        .values_list("name", flat=True)
    )
    detail = str(_("本单位在本批次提交 %(n)d 个项目：%(names)s")) % {
        "n": len(names),
        "names": "、".join(names),
    }
    return Item("limit", label, FAIL if len(names) > call.per_applicant_limit else PASS, detail)


def _attachments(call, kinds):
    label = str(_("必传附件齐全"))
    required = call.required_attachment_kinds
    missing = [str(AttachmentKind(k).label) for k in required if k not in kinds]
    if missing:
        return Item("attachments", label, FAIL, str(_("缺少：%(k)s。")) % {"k": "、".join(missing)})
    if not required:
        return Item("attachments", label, PASS, str(_("本批次未规定必传附件。")))
    present = "、".join(str(AttachmentKind(k).label) for k in required)
    return Item("attachments", label, PASS, str(_("已上传：%(k)s。")) % {"k": present})


def _partners(application, partners):
    label = str(_("合作建设项目写明合作单位及权属或分工"))
    if not application.is_cooperative:
        return Item("partners", label, PASS, str(_("非合作建设项目。")))
    problems = rules_of_notice.cooperation_problems(application, partners)
    if problems:
        return Item("partners", label, FAIL, _messages(problems))
    names = "、".join(f"{p.name}（{p.get_role_display()}）" for p in partners)
    return Item("partners", label, PASS, str(_("合作单位：%(names)s。")) % {"names": names})


def suspected_pairs(application):
    """Pairs of this application still to be ruled out (newest computation or ruled)."""
    return (
        SimilarPair.objects.filter(Q(application=application) | Q(other_application=application))
        .filter(Q(current=True) | Q(verdict=SimilarPair.Verdict.DUPLICATE))
        .exclude(verdict=SimilarPair.Verdict.NOT_DUPLICATE)
        .select_related(
            "application__organisation", "other_application__organisation", "past_project"
        )
    )


def similarity_gap(application) -> str:
    """Why the call's similarity computation does not cover this application yet ("" when
    it does): no pair found means nothing only once its text has been compared."""
    run = (
        SimilarityRun.objects.filter(call_id=application.call_id, state=SimilarityRun.State.DONE)
        .order_by("-requested_at")
        .only("requested_at")
        .first()
    )
    if run is None:
        return str(_("本批次尚未计算相似度：请在“重复与续期检测”页面计算后再核实。"))
    if application.submitted_at and run.requested_at < application.submitted_at:
        return str(_("最近一次相似度计算早于本申报的提交：请重新计算后再核实。"))
    return ""


def _continuation(application, gap):
    label = str(_("以整体项目申报，非续期建设项目"))
    if not application.declares_whole_project:
        return Item("continuation", label, FAIL, str(_("申报单位未作整体申报声明。")))
    findings = []
    terms = continuation_terms(f"{application.name}\n{application.construction_content}")
    if terms:
        findings.append(str(_("文本含分期或续建用语：%(t)s")) % {"t": "、".join(terms)})
    for pair in suspected_pairs(application).filter(past_project__isnull=False):
        findings.append(
            str(_("与往年重点工程“%(name)s”（%(year)d年）相似%(cont)s"))
            % {
                "name": pair.past_project.name,
                "year": pair.past_project.year,
                "cont": str(_("，疑似续期")) if pair.continuation else "",
            }
        )
    if gap:
        findings.append(gap)  # the past key projects are compared by the same computation
    if findings:
        return Item("continuation", label, WARNING, "；".join(findings))
    return Item("continuation", label, PASS, str(_("已声明整体申报，未发现续期迹象。")))


def _duplicates(application, gap):
    label = str(_("未与本批次其他申报重复"))
    pairs = list(suspected_pairs(application).filter(other_application__isnull=False))
    if not pairs:
        if gap:
            return Item("duplicates", label, WARNING, gap)
        return Item("duplicates", label, PASS, str(_("未发现疑似重复的申报。")))
    names = []
    for pair in pairs:
        other = (
            pair.other_application if pair.application_id == application.pk else pair.application
        )
        names.append(f"{other.name}（{other.organisation}，{pair.score:.0%}）")
    confirmed = any(p.verdict == SimilarPair.Verdict.DUPLICATE for p in pairs)
    return Item(
        "duplicates",
        label,
        FAIL if confirmed else WARNING,
        str(_("疑似重复：%(names)s")) % {"names": "；".join(names)},
    )
