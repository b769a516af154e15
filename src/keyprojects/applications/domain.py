"""Business rules of an application: the notice's checks, drafts, attachments, submit."""

import dataclasses
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyprojects.audit.domain import record
from keyprojects.calls.domain import ensure_window_open
from keyprojects.core.clock import now
from keyprojects.documents import images
from keyprojects.documents.uploads import inspect_upload, safe_original_name
from keyprojects.notifications.domain import notify
from keyprojects.orgs.credit_code import validate_credit_code
from keyprojects.orgs.models import User
from keyprojects.orgs.routing import NoAuthority, Route, route

from . import limits, workflow
from .models import Application, Attachment, AttachmentKind, Partner, PartnerRole
from .uploads_policy import ALLOWED_FILE_KINDS

ERROR = "error"
WARNING = "warning"


@dataclasses.dataclass(frozen=True)
class Problem:
    # The form field the message belongs to, or "partners", "attachments", "organisation"
    # for the partner rows, the uploads and the organisation's own standing in the call.
    field: str | None
    message: str
    severity: str = ERROR


class DraftConflict(Exception):
    """Someone else saved the draft since this editor loaded it."""

    def __init__(self, current):
        super().__init__("draft conflict")
        self.current = current


class NotEditable(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


REQUIRED_FIELDS = [
    "name",
    "category",
    "summary",
    "construction_content",
    "innovation",
    "core_technology",
    "domestic_products",
    "security_level",
    "security_protection",
    "problems_solved",
    "users_served",
    "economic_benefit",
    "social_benefit",
    "promotion_prospects",
    "total_investment",
    "civil_works_investment",
    "funding_sources",
    "investment_completed",
    "start_month",
    "planned_completion_month",
    "contact_name",
    "contact_phone",
    "contact_email",
]


def months_between(start, end) -> int:
    return (end.year - start.year) * 12 + (end.month - start.month)


def submission_problems(application, partners=None, attachment_kinds=None) -> list[Problem]:
    """Everything the notice requires before a submit: errors block, warnings inform.

    The same function runs for the pre-check shown beside the form and on submit.
    """
    call = application.call
    partners = list(application.partners.all()) if partners is None else partners
    if attachment_kinds is None:
        attachment_kinds = set(application.attachments.values_list("kind", flat=True))
    problems = []
    for field in REQUIRED_FIELDS:
        value = getattr(application, field if field != "category" else "category_id")
        if value in (None, ""):
            label = Application._meta.get_field(field).verbose_name
            problems.append(Problem(field, _("请填写“%(label)s”。") % {"label": label}))
    if application.category_id and application.category.call_id != call.pk:
        problems.append(Problem("category", _("所选类别不属于本批次。")))
    if not application.technologies:
        problems.append(Problem("technologies", _("请至少选择一项应用的信息技术。")))
    elif "other" in application.technologies and not application.technologies_other.strip():
        problems.append(Problem("technologies_other", _("选择了“其他”，请写明技术名称。")))
    if application.in_it_plan is None:
        problems.append(Problem("in_it_plan", _("请说明是否已纳入信息化发展规划。")))
    elif application.in_it_plan and not application.it_plan_name.strip():
        problems.append(Problem("it_plan_name", _("请填写所纳入规划的名称。")))
    problems += money_problems(application)
    problems += period_problems(application)
    problems += cooperation_problems(application, partners)
    for kind in call.required_attachment_kinds:
        if kind not in attachment_kinds:
            problems.append(
                Problem(
                    "attachments",
                    _("请上传附件：%(kind)s。") % {"kind": AttachmentKind(kind).label},
                )
            )
    for extra in call.form_extras:
        if extra.get("required") and application.extras.get(extra["key"]) in (None, ""):
            problems.append(
                Problem(
                    f"extra_{extra['key']}", _("请填写“%(label)s”。") % {"label": extra["label"]}
                )
            )
    if not application.declares_whole_project:
        problems.append(
            Problem(
                "declares_whole_project",
                _(
                    "请确认本项目以整体项目申报、不属于续期建设项目（通知规定不接受续期建设项目申报）。"
                ),
            )
        )
    if not application.declares_truthful:
        problems.append(Problem("declares_truthful", _("请确认所填信息真实、准确、完整。")))
    return problems


def money_problems(application):
    call, total, civil = (
        application.call,
        application.total_investment,
        application.civil_works_investment,
    )
    problems = []
    if total is not None and civil is not None:
        if civil > total:
            problems.append(Problem("civil_works_investment", _("土建工程投资不能大于总投资。")))
        elif total - civil < call.min_informatisation_investment:
            problems.append(
                Problem(
                    "total_investment",
                    _(
                        "信息化投资（总投资减土建工程）为 %(amount)s 万元，低于本批次要求的 "
                        "%(minimum)s 万元。"
                    )
                    % {
                        "amount": _money(total - civil),
                        "minimum": _money(call.min_informatisation_investment),
                    },
                )
            )
    completed = application.investment_completed
    if total is not None and completed is not None and completed > total:
        problems.append(Problem("investment_completed", _("已完成投资不能大于总投资。")))
    return problems


def period_problems(application):
    call, start, end = (
        application.call,
        application.start_month,
        application.planned_completion_month,
    )
    problems = []
    if start is not None and start < call.earliest_start:
        problems.append(
            Problem(
                "start_month",
                _("开工时间为 %(start)s，早于本批次允许的最早开工月份 %(earliest)s。")
                % {"start": f"{start:%Y年%m月}", "earliest": f"{call.earliest_start:%Y年%m月}"},
            )
        )
    if start is not None and end is not None:
        months = months_between(start, end)
        if months <= 0:
            problems.append(
                Problem("planned_completion_month", _("计划完成时间必须晚于开工时间。"))
            )
        elif abs(months - call.nominal_period_months) > call.period_tolerance_months:
            problems.append(
                Problem(
                    "planned_completion_month",
                    _(
                        "计划实施周期为 %(months)d 个月，"
                        "与通知要求的 %(nominal)d 个月左右相差较大，"
                        "请确认。"
                    )
                    % {"months": months, "nominal": call.nominal_period_months},
                    WARNING,
                )
            )
    return problems


def cooperation_problems(application, partners):
    if not application.is_cooperative:
        return []
    problems = []
    if not application.applicant_role:
        problems.append(
            Problem("applicant_role", _("合作建设项目请选择本单位是开发单位还是应用单位。"))
        )
    if not application.ownership_statement.strip():
        problems.append(Problem("ownership_statement", _("合作建设项目应明确项目权属或工作分工。")))
    for position, partner in enumerate(partners, start=1):
        problems += _partner_problems(position, partner)
    if not partners:
        problems.append(Problem("partners", _("合作建设项目请至少填写一家合作单位。")))
    elif application.applicant_role:
        other = (
            PartnerRole.USER
            if application.applicant_role == PartnerRole.DEVELOPER
            else PartnerRole.DEVELOPER
        )
        if not any(p.role == other for p in partners):
            problems.append(
                Problem("partners", _("合作单位中应有%(role)s。") % {"role": other.label})
            )
    return problems


def _partner_problems(position, partner):
    problems = []
    if not partner.role or not partner.name.strip():
        problems.append(
            Problem("partners", _("第%(n)d家合作单位请填写角色和单位名称。") % {"n": position})
        )
    try:
        validate_credit_code(partner.credit_code)
    except ValidationError as error:
        problems.append(
            Problem(
                "partners",
                _("第%(n)d家合作单位：%(error)s") % {"n": position, "error": error.messages[0]},
            )
        )
    return problems


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


def blocking(problems):
    return [p for p in problems if p.severity == ERROR]


# --- Writing ---------------------------------------------------------------------------


def ensure_editable(application, at=None):
    ensure_window_open(application.call, at)
    if not application.is_editable_status:
        raise NotEditable(_("申报书已提交，如需修改请先撤回。"))


def start_application(call, user, at=None):
    """A new, empty draft for the user's organisation, prefilled with its contact."""
    ensure_window_open(call, at)
    org = user.organisation
    with transaction.atomic():
        application = Application.objects.create(
            call=call,
            organisation=org,
            created_by=user,
            updated_by=user,
            contact_name=org.contact_name,
            contact_phone=org.contact_phone,
            contact_email=org.contact_email,
        )
        record(application, "create", actor=user, to_state=application.status)
    return application


def save_draft(
    application,
    values: dict,
    partners,
    *,
    by,
    expected_version,
    editor_token,
    editor_seq=0,
    at=None,
):
    """Save form values and partners unless someone else saved since `expected_version`.

    The same editor (one open tab, `editor_token`) may overtake its own earlier save, so an
    autosave still in flight never blocks the user's next save; another editor may not.
    `editor_seq` counts the tab's edits: a save of the tab that arrives after one made
    later (`editor_seq` lower than the stored one) is refused like a conflict, so the
    latest typing stays. Returns the new version; raises DraftConflict otherwise.
    """
    ensure_editable(application, at)
    with transaction.atomic():
        # Read under the row's lock (SQLite: the write lock of BEGIN IMMEDIATE), so what
        # changed, and the version this save makes, are exact even when saves race.
        stored = (
            Application.objects.filter(pk=application.pk)
            .select_for_update()
            .values("version", *values)
            .first()
        ) or {}
        changed = _changed_fields(application, stored, values, partners)
        updated = (
            Application.objects.filter(pk=application.pk, status__in=workflow.EDITABLE)
            .filter(
                Q(version=expected_version)
                | Q(editor_token=editor_token, editor_seq__lte=editor_seq)
            )
            .update(
                **values,
                version=F("version") + 1,
                editor_token=editor_token,
                editor_seq=editor_seq,
                updated_by=by,
                updated_at=now(),
            )
        )
        # Autosave posts the whole form every few seconds: rewrite partners only if changed.
        if updated and partners is not None and "partners" in changed:
            application.partners.all().delete()
            Partner.objects.bulk_create(
                Partner(application=application, order=i, **p) for i, p in enumerate(partners)
            )
        if updated and changed:
            record(application, "save", actor=by, data={"fields": changed})
    if not updated:
        current = Application.objects.select_related("updated_by").get(pk=application.pk)
        # The refused values go into the record too, so nothing typed is ever lost.
        record(
            current,
            "save_refused",
            actor=by,
            reason="conflict",
            data={
                "expected_version": expected_version,
                "current_version": current.version,
                "editor_seq": editor_seq,
                "values": {name: _plain(value) for name, value in values.items()},
            },
        )
        raise DraftConflict(current)
    # The caller's instance now holds what was stored (the autosave's pre-check reads it).
    for name, value in values.items():
        setattr(application, name, value)
    application.version = stored["version"] + 1
    application.editor_token, application.editor_seq = editor_token, editor_seq
    return application.version


def add_attachment(application, kind, uploaded, *, by, at=None):
    """Validate the upload by its content and store it under a random name."""
    ensure_editable(application, at)
    inspected = inspect_upload(uploaded, ALLOWED_FILE_KINDS[kind], settings.ATTACHMENT_MAX_BYTES)
    content, inspected = images.stored_form(uploaded, inspected)  # pictures lose metadata
    attachment = Attachment(
        application=application,
        kind=kind,
        original_name=safe_original_name(uploaded.name, "attachment"),
        content_type=inspected.content_type,
        extension=inspected.extension,
        size=inspected.size,
        sha256=inspected.sha256,
        uploaded_by=by,
        uploaded_at=at or now(),
    )
    attachment.file.save("upload", content, save=False)
    with transaction.atomic():
        attachment.save()
        record(
            application,
            "attach",
            actor=by,
            data={
                "attachment": str(attachment.pk),
                "kind": kind,
                "name": attachment.original_name,
                "sha256": attachment.sha256,
            },
        )
    return attachment


def remove_attachment(attachment, *, by, at=None):
    application = attachment.application
    ensure_editable(application, at)
    with transaction.atomic():
        record(
            application,
            "detach",
            actor=by,
            data={"attachment": str(attachment.pk), "name": attachment.original_name},
        )
        attachment.delete()
    # The stored file is kept: nothing is lost, and the event still points at it.


PARTNER_FIELDS = ["role", "name", "credit_code", "work_division"]


def _changed_fields(application, stored, values, partners) -> list[str]:
    """Names of the fields this save changes (against the `stored` values), so the history
    says what changed."""
    changed = [name for name, value in values.items() if _plain(value) != _plain(stored.get(name))]
    if partners is not None:
        existing = list(application.partners.values(*PARTNER_FIELDS))
        if existing != [{f: p.get(f, "") for f in PARTNER_FIELDS} for p in partners]:
            changed.append("partners")
    return changed


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, list | dict | bool | int | str) or value is None:
        return value
    return str(value)


@dataclasses.dataclass(frozen=True)
class SubmitFacts:
    """What the submit rules read besides the application's own columns."""

    partners: list
    attachment_kinds: set
    counted: int  # the organisation's other applications that count towards the limit
    destination: Route | None  # who will review it; None when no authority is found


def submit_facts(application, partners=None) -> SubmitFacts:
    """Read the facts; `partners` may be passed when the caller already has them."""
    try:
        destination = route(application.organisation)
    except NoAuthority:
        destination = None
    counted = (
        Application.objects.filter(
            call_id=application.call_id,
            organisation_id=application.organisation_id,
            status__in=workflow.COUNTED,
        )
        .exclude(pk=application.pk)
        .count()
    )
    return SubmitFacts(
        partners=list(application.partners.all()) if partners is None else partners,
        attachment_kinds=set(application.attachments.values_list("kind", flat=True)),
        counted=counted,
        destination=destination,
    )


def submit_problems(application, facts=None) -> list[Problem]:
    """Every rule submit() enforces: the form's (submission_problems), the per-applicant
    limit and the routing. submit() and the pre-check beside the form both call this one
    function, so the pre-check cannot say "ready" while a submit would be refused."""
    facts = facts or submit_facts(application)
    problems = submission_problems(application, facts.partners, facts.attachment_kinds)
    limit = application.call.per_applicant_limit
    if facts.counted >= limit:
        problems.append(
            Problem(
                "organisation",
                _(
                    "本单位在本批次已提交 %(count)d 个项目，"
                    "达到每个申报单位不超过 %(limit)d 个的上限。"
                    "如需提交本项目，请先撤回已提交的项目。"
                )
                % {"count": facts.counted, "limit": limit},
            )
        )
    if facts.destination is None:
        problems.append(
            Problem(
                "organisation",
                _("未找到本单位所在地区的审核推荐部门，请联系技术支持。"),
            )
        )
    return problems


def submit(application, *, by, at=None):
    """Submit, enforcing submit_problems() under the organisation's lock (the limit holds
    when colleagues submit at once)."""

    def check(locked):
        facts = submit_facts(locked)
        problems = blocking(submit_problems(locked, facts))
        if len(problems) == 1:
            raise workflow.TransitionRefused(problems[0].message, problems)
        if problems:
            raise workflow.TransitionRefused(
                _("申报书还有 %(n)d 处未完成或不符合要求的内容，请按提示修改。")
                % {"n": len(problems)},
                problems,
            )
        limits.take_slot(locked)
        locked.applicant_snapshot = applicant_snapshot(locked.organisation)
        locked.authority = facts.destination.authority
        locked.copy_authority = facts.destination.copy_to

    try:
        submitted = workflow.perform(application, "submit", by=by, at=at, check=check)
    except IntegrityError:
        # Another submit of the organisation took the same place under the limit first:
        # the row lock in workflow.perform makes this rare, the constraint makes it harmless.
        raise workflow.TransitionRefused(
            _("本单位的另一个项目刚刚提交，请刷新页面后重试。")
        ) from None
    if submitted.previous_status == workflow.Status.RETURNED:
        notify(
            User.objects.filter(authority=submitted.authority),
            _("退回修改的项目“%(name)s”（%(org)s）已重新提交。")
            % {"name": submitted.name, "org": submitted.organisation},
            url=reverse("review:application", args=[submitted.pk]),
        )
    return submitted


def withdraw(application, *, by, at=None, reason=""):
    return workflow.perform(application, "withdraw", by=by, at=at, reason=reason)


def applicant_snapshot(org) -> dict:
    return {
        "name": org.name,
        "credit_code": org.credit_code,
        "kind": org.get_kind_display(),
        "seat": str(org.seat),
        "supervising_department": str(org.supervising_department or ""),
        "address": org.address,
        "legal_representative": org.legal_representative,
    }
