"""Local review: opinions, the summary table and its code, the stamped scan, sending."""

import hashlib
import json

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyprojects.applications import workflow
from keyprojects.applications.models import Application
from keyprojects.applications.workflow import Status
from keyprojects.audit.domain import record
from keyprojects.audit.models import Event
from keyprojects.calls.domain import ensure_before_recommendation_deadline, format_deadline
from keyprojects.core.clock import china_time, now
from keyprojects.documents.images import stored_form
from keyprojects.documents.uploads import FileKind, inspect_upload, safe_original_name
from keyprojects.notifications.domain import notify

from . import scans, tasks
from .models import Opinion, RecommendationBatch, StampedScan, SummaryTable

DECISION_MESSAGES = {
    "recommend": _("您的申报项目“%(name)s”已获%(authority)s推荐。"),
    "not_recommend": _("您的申报项目“%(name)s”未获%(authority)s推荐：%(reason)s"),
    "return": _(
        "您的申报项目“%(name)s”被%(authority)s退回修改：%(reason)s。请在申报截止前修改后重新提交。"
    ),
}
DECISIONS = set(DECISION_MESSAGES)


class BatchLocked(Exception):
    def __init__(self, batch):
        self.batch = batch
        super().__init__(
            str(
                _(
                    "本单位的推荐意见已于 %(when)s 报送省信息化办，已锁定；"
                    "如需修改请联系省信息化办退回。"
                )
                % {"when": f"{china_time(batch.submitted_at):%Y-%m-%d %H:%M}"}
            )
        )


class SubmitRefused(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def batch_for(call, authority) -> RecommendationBatch:
    batch, _created = RecommendationBatch.objects.get_or_create(call=call, authority=authority)
    return batch


def ensure_batch_open(call, authority):
    batch = RecommendationBatch.objects.filter(call=call, authority=authority).first()
    if batch is not None and batch.is_submitted:
        raise BatchLocked(batch)


def decide(application, action, *, by, reason="", at=None):
    """Record a reviewer's opinion: recommend, do not recommend, or return for revision."""
    if action not in DECISIONS:
        raise ValueError(action)

    def check(locked):
        ensure_batch_open(locked.call, locked.authority)
        record_opinion(locked, action, by=by, reason=reason, at=at or now())

    batch = RecommendationBatch.objects.filter(
        call=application.call_id, authority=application.authority_id
    ).first()
    decided = workflow.perform(
        application,
        action,
        by=by,
        at=at,
        reason=reason,
        check=check,
        extended_until=batch.extended_until if batch else None,
    )
    notify(
        decided.organisation.users.all(),
        DECISION_MESSAGES[action]
        % {"name": decided.name, "authority": decided.authority, "reason": reason},
        url=reverse("applications:detail", args=[decided.pk]),
    )
    return decided


def record_opinion(locked, action, *, by, reason, at) -> Opinion:
    """The authority's one opinion on the application, replaced by a later decision.

    Runs under the application's row lock (workflow.perform), so decisions on one
    application queue; the unique constraint keeps it one row whatever happens around it.
    """
    opinion = Opinion.objects.filter(application=locked, authority=locked.authority).first()
    if opinion is None:
        opinion = Opinion(application=locked, authority=locked.authority, version=0)
    opinion.decision, opinion.reason = action, reason.strip()
    opinion.decided_by, opinion.decided_at = by, at
    opinion.version += 1
    opinion.save()
    return opinion


def batch_recommend(applications, *, by, at=None):
    """Recommend several at once; returns (recommended, [(application, reason refused)])."""
    done, refused = [], []
    for application in applications:
        try:
            done.append(decide(application, "recommend", by=by, at=at))
        except (workflow.TransitionRefused, BatchLocked) as error:
            refused.append((application, str(error)))
    return done, refused


# --- The summary table -----------------------------------------------------------------

TABLE_COLUMNS = [
    ("serial", _("序号")),
    ("name", _("项目名称")),
    ("applicant", _("申报单位")),
    ("category", _("工程类别")),
    ("total_investment", _("总投资（万元）")),
    ("informatisation_investment", _("信息化投资（万元）")),
    ("period", _("建设周期")),
    ("contact", _("联系人及电话")),
]


def recommended(call, authority):
    return (
        # The province's later verdicts do not change what the authority recommended.
        call.applications.filter(authority=authority, status__in=workflow.RECOMMENDED_ONWARDS)
        .select_related("organisation", "category")
        .order_by("submitted_at", "pk")
    )


def table_content(call, authority) -> dict:
    """Everything the printed table shows, in a canonical form the code is derived from."""
    rows, total, informatisation = [], 0, 0
    applications = list(recommended(call, authority))
    opinions = _recommendation_opinions(applications)
    for serial, application in enumerate(applications, start=1):
        rows.append(
            {
                "serial": serial,
                "id": str(application.pk),
                "name": application.name,
                "applicant": application.organisation.name,
                "credit_code": application.organisation.credit_code,
                "category": application.category.name if application.category else "",
                "total_investment": f"{application.total_investment:.2f}",
                "informatisation_investment": f"{application.informatisation_investment:.2f}",
                "period": _period(application),
                "contact": f"{application.contact_name} {application.contact_phone}",
                "opinion": opinions.get(str(application.pk), ""),
            }
        )
        total += application.total_investment
        informatisation += application.informatisation_investment
    return {
        "call": call.title,
        "authority": authority.name,
        "rows": rows,
        "total_investment": f"{total:.2f}",
        "informatisation_investment": f"{informatisation:.2f}",
    }


def _period(application):
    start, end = application.start_month, application.planned_completion_month
    if not start or not end:
        return ""
    return f"{start:%Y.%m}—{end:%Y.%m}"


def _recommendation_opinions(applications) -> dict:
    """The latest recommendation opinion of each application, in one query."""
    events = Event.objects.filter(
        target_type=Application._meta.label_lower,
        target_id__in=[str(a.pk) for a in applications],
        action="recommend",
    ).order_by("at")
    return {event.target_id: event.reason for event in events}  # later ones win


def verification_code(content: dict) -> str:
    """SM3 of the canonical content, 16 hex digits in groups of four: any change to a
    recommended project or opinion gives a different code."""
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    digest = hashlib.new("sm3", canonical.encode("utf-8")).hexdigest().upper()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def current_code(call, authority) -> str:
    return verification_code(table_content(call, authority))


def start_table(batch, *, by, at=None) -> SummaryTable:
    """Record a new table version and queue the rendering of its files (tasks.py)."""
    if batch.is_submitted:
        raise BatchLocked(batch)
    ensure_before_recommendation_deadline(batch.call, at, batch.extended_until)
    content = table_content(batch.call, batch.authority)
    if not content["rows"]:
        raise SubmitRefused(_("还没有推荐的项目，无法生成汇总表。"))
    with transaction.atomic():
        table = SummaryTable.objects.create(
            batch=batch,
            code=verification_code(content),
            content=content,
            generated_at=at or now(),
            generated_by=by,
        )
        record(batch, "generate_table", actor=by, data={"table": str(table.pk), "code": table.code})
        # In the same transaction: the version and the task that renders it exist together.
        tasks.render_summary_table.enqueue(str(table.pk))
    return table


# --- The stamped scan and sending to the province ---------------------------------------


def accept_scan(batch, uploaded, *, typed_code="", by, at=None):
    """Keep a scan of the sealed table if it certifies the current version.

    The code comes from the QR code on the scan; where none can be read, from what the
    reviewer typed. Returns the StampedScan; raises SubmitRefused with the reason.
    """
    if batch.is_submitted:
        raise BatchLocked(batch)
    ensure_before_recommendation_deadline(batch.call, at, batch.extended_until)
    inspected = inspect_upload(
        uploaded, {FileKind.PDF, FileKind.JPEG, FileKind.PNG}, settings.ATTACHMENT_MAX_BYTES
    )
    content, inspected = stored_form(uploaded, inspected)  # a photographed scan loses its EXIF
    images = scans.pages(content.read(), inspected.kind)
    content.seek(0)
    read = scans.codes_in(images)
    code = read[0] if read else scans.normalise_code(typed_code)
    if not code:
        raise SubmitRefused(
            _("未能从扫描件中识别汇总表二维码，请在下方输入汇总表右上角印的校验码（16位）。")
        )
    table = batch.tables.filter(code=code, state=SummaryTable.State.READY).first()
    if table is None:
        raise SubmitRefused(
            _("校验码 %(code)s 不是本单位本批次生成的汇总表，请核对后重试。") % {"code": code}
        )
    current = current_code(batch.call, batch.authority)
    if code != current:
        raise SubmitRefused(
            _(
                "扫描件对应 %(when)s 生成的汇总表（校验码 %(code)s）；此后推荐项目或意见已有变化，"
                "当前校验码为 %(current)s。请重新生成汇总表，打印盖章后再上传。"
            )
            % {
                "when": f"{china_time(table.generated_at):%Y-%m-%d %H:%M}",
                "code": code,
                "current": current,
            }
        )
    scan = StampedScan(
        table=table,
        original_name=safe_original_name(uploaded.name, "scan"),
        content_type=inspected.content_type,
        extension=inspected.extension,
        sha256=inspected.sha256,
        code_source=StampedScan.CodeSource.QR if read else StampedScan.CodeSource.TYPED,
        seal_found=scans.has_red_seal(images),
        uploaded_by=by,
        uploaded_at=at or now(),
    )
    scan.file.save("scan", content, save=False)
    with transaction.atomic():
        scan.save()
        record(
            batch,
            "upload_scan",
            actor=by,
            data={
                "scan": str(scan.pk),
                "code": code,
                "source": scan.code_source,
                "seal_found": scan.seal_found,
            },
        )
    return scan


def current_scan(batch, code=None):
    """The newest scan that certifies the table as it is now (`code`, if known), if any."""
    code = code or current_code(batch.call, batch.authority)
    return (
        StampedScan.objects.filter(table__batch=batch, table__code=code)
        .select_related("table")
        .first()
    )


def submit_to_province(batch, *, by, at=None):
    """Send the authority's recommendation: locks its opinions and table."""
    ensure_before_recommendation_deadline(batch.call, at, batch.extended_until)
    with transaction.atomic():
        locked = RecommendationBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.is_submitted:
            raise BatchLocked(locked)
        pending = locked.call.applications.filter(
            authority=locked.authority, status=Status.SUBMITTED
        ).count()
        if pending:
            raise SubmitRefused(
                _("还有 %(n)d 个项目未出具审核意见，请逐一推荐、不予推荐或退回修改。")
                % {"n": pending}
            )
        scan = current_scan(locked)
        if scan is None:
            raise SubmitRefused(
                _("请先生成汇总表，打印并加盖公章后上传扫描件；扫描件须对应当前版本的汇总表。")
            )
        locked.submitted_at = at or now()
        locked.submitted_by = by
        locked.submitted_table = scan.table
        locked.save()
        record(
            locked,
            "submit_to_province",
            actor=by,
            data={"table": str(scan.table_id), "code": scan.table.code, "scan": str(scan.pk)},
        )
    return locked


def reopen(batch, *, by, reason, until=None, at=None):
    """The provincial office sends a recommendation back to its authority.

    After the call's recommendation deadline the authority could change nothing, so the
    office must then grant it a later deadline (`until`).
    """
    at = at or now()
    if not reason.strip():
        raise SubmitRefused(_("请填写退回的理由。"))
    if until is not None and until <= at:
        raise SubmitRefused(_("补报截止时间应晚于现在。"))
    if until is None and at >= batch.call.recommendation_deadline:
        raise SubmitRefused(
            _("推荐意见截止时间已过，退回时请给出补报截止时间，否则推荐单位无法修改。")
        )
    with transaction.atomic():
        locked = RecommendationBatch.objects.select_for_update().get(pk=batch.pk)
        if not locked.is_submitted:
            raise SubmitRefused(_("该推荐尚未报送，无需退回。"))
        locked.submitted_at = None
        locked.submitted_by = None
        locked.submitted_table = None
        if until is not None:
            locked.extended_until = until
        locked.save()
        record(
            locked,
            "reopen",
            actor=by,
            reason=reason,
            data={"until": until.isoformat()} if until else None,
        )
    notify(
        locked.authority.reviewers.all(),
        _(
            "省信息化办退回了%(call)s的推荐报送，理由：%(reason)s。"
            "请修改后重新报送，截止时间 %(until)s。"
        )
        % {"call": locked.call, "reason": reason, "until": format_deadline(locked.deadline)},
        url=reverse("review:batch", args=[locked.call.slug]),
    )
    return locked
