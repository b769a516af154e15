"""Business rules of tracking evaluation: which projects are tracked and who owns them, the
rounds (open, add projects, close, remind the late), report attachments and the local
authority's comment. The report's own states are workflow.py's.
"""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.workflow import Status
from keyprojects.audit.domain import event, record, record_many
from keyprojects.core.clock import CHINA, now
from keyprojects.documents import images
from keyprojects.documents.uploads import FileKind, inspect_upload, safe_original_name
from keyprojects.notices.queries import final_notice_for
from keyprojects.notifications.domain import notify
from keyprojects.orgs.models import Organisation, Region, User

from .models import AuthorityComment, ProgressReport, ReportAttachment, TrackedProject
from .models import TrackingRound as Round
from .workflow import EDITABLE, ReportRefused, StaleReport, lock

ATTACHMENT_KINDS = [FileKind.PDF, FileKind.JPEG, FileKind.PNG, FileKind.DOCX, FileKind.XLSX]
MAX_ATTACHMENTS = 20
NOT_SUBMITTED = [ProgressReport.State.PENDING, ProgressReport.State.DRAFT]


# --- Tracked projects and their owners ---------------------------------------------------


def match_organisations() -> int:
    """Link every unmatched tracked project to the registered organisation with its credit
    code; run on import, when a round opens and whenever an organisation is saved."""
    same_code = Organisation.objects.filter(credit_code=OuterRef("credit_code")).values("pk")
    return TrackedProject.objects.filter(
        organisation__isnull=True,
        credit_code__in=Organisation.objects.values("credit_code"),
    ).update(organisation=Subquery(same_code[:1]))


def _city_of(organisation):
    if organisation.is_provincial:
        return None
    seat = organisation.seat
    if seat.kind == Region.Kind.CITY:
        return seat
    return seat.parent if seat.parent and seat.parent.kind == Region.Kind.CITY else None


@transaction.atomic
def track_selected(call, *, by=None) -> list[TrackedProject]:
    """Track every selected application of `call` once its final list is settled.

    Idempotent: an application already tracked is left alone. Returns the projects added.
    """
    applications = list(
        call.applications.filter(status=Status.SELECTED, tracked_project__isnull=True)
        .select_related("organisation__seat__parent", "category")
        .order_by("name")
    )
    if not applications or final_notice_for(applications[0]) is None:
        return []
    at = now()
    projects = []
    for application in applications:
        content = "\n".join(p for p in [application.summary, application.construction_content] if p)
        projects.append(
            TrackedProject(
                year=call.year,
                name=application.name[:200],
                applicant_name=application.organisation.name,
                credit_code=application.organisation.credit_code,
                category_name=application.category.name if application.category_id else "",
                city=_city_of(application.organisation),
                informatisation_investment=application.informatisation_investment or 0,
                content=content,
                source=TrackedProject.Source.PLATFORM,
                application=application,
                organisation=application.organisation,
                created_at=at,
            )
        )
    TrackedProject.objects.bulk_create(projects)
    record_many(
        [
            event(
                p._meta.label_lower,
                p.pk,
                "track",
                actor=by,
                data={"application": str(p.application_id)},
            )
            for p in projects
        ]
    )
    return projects


def track_all_selected(*, by=None) -> int:
    from keyprojects.calls.models import Call

    return sum(
        len(track_selected(call, by=by))
        for call in Call.objects.filter(applications__status=Status.SELECTED).distinct()
    )


# --- Rounds -------------------------------------------------------------------------------


def _notify_opened(round_, projects):
    organisations = {p.organisation_id for p in projects if p.organisation_id}
    users = User.objects.filter(organisation_id__in=organisations)
    by_org = {}
    for user in users:
        by_org.setdefault(user.organisation_id, []).append(user)
    text = str(
        _("%(round)s已开启，请于 %(due)s 24:00 前填报本单位重点工程进展报告。")
        % {"round": round_.title, "due": f"{round_.due_on:%Y年%m月%d日}"}
    )
    for organisation_id, members in by_org.items():
        notify(
            members,
            text,
            url=reverse("tracking:my_reports"),
            key=f"tracking-open:{round_.pk}:{organisation_id}",
        )


def _add_reports(round_, projects, by):
    reports = [ProgressReport(round=round_, project=p) for p in projects]
    ProgressReport.objects.bulk_create(reports, batch_size=1000)
    record_many(
        [event(r._meta.label_lower, r.pk, "create", actor=by, to_state=r.state) for r in reports]
    )
    return reports


def open_round(*, title, period, due_on, instructions="", by) -> Round:
    """A new round with one pending report per tracked project; the owners are told."""
    if due_on < now().astimezone(CHINA).date():
        raise ReportRefused(_("截止日期不能早于今天。"))
    with transaction.atomic():
        matched = match_organisations()
        round_ = Round.objects.create(
            title=title,
            period=period,
            due_on=due_on,
            instructions=instructions,
            opened_by=by,
            opened_at=now(),
        )
        projects = list(TrackedProject.objects.order_by("pk"))
        _add_reports(round_, projects, by)
        record(
            round_,
            "open",
            actor=by,
            to_state=round_.state,
            data={"reports": len(projects), "due_on": str(due_on), "matched": matched},
        )
        _notify_opened(round_, projects)
    return round_


def missing_projects(round_):
    """Tracked projects added since the round opened (they get a report only if asked)."""
    return TrackedProject.objects.exclude(reports__round=round_)


def add_missing(round_, *, by) -> int:
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if not locked.is_open:
            raise ReportRefused(_("本轮跟踪评价已结束。"))
        match_organisations()
        projects = list(missing_projects(locked).order_by("pk"))
        if not projects:
            return 0
        _add_reports(locked, projects, by)
        record(locked, "add_projects", actor=by, data={"added": len(projects)})
        _notify_opened(locked, projects)
    return len(projects)


def close_round(round_, *, by, expected_version=None) -> Round:
    """End the round: only once every submitted report is evaluated; nothing changes after."""
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if expected_version is not None and int(expected_version) != locked.version:
            raise StaleReport(locked)
        if not locked.is_open:
            raise ReportRefused(_("本轮跟踪评价已结束。"))
        waiting = locked.reports.filter(state=ProgressReport.State.SUBMITTED).count()
        if waiting:
            raise ReportRefused(
                _("还有 %(n)d 份已提交的报告未评价，评价后才能结束本轮。") % {"n": waiting}
            )
        unsent = locked.reports.filter(state__in=EDITABLE).count()
        locked.state, locked.closed_at = Round.State.CLOSED, now()
        locked.version += 1
        locked.save()
        record(
            locked,
            "close",
            actor=by,
            from_state=Round.State.OPEN,
            to_state=locked.state,
            data={"not_submitted": unsent},
        )
    return locked


def late_reports(round_, at=None):
    """After the due date: reports not sent (still to write, or returned and not resent)."""
    if (at or now()) < round_.due_at:
        return ProgressReport.objects.none()
    return round_.reports.filter(state__in=EDITABLE)


def remind_late(round_, *, by, at=None) -> int:
    """Tell the owners of late reports, at most once a day per report and person."""
    at = at or now()
    if not round_.is_open:
        raise ReportRefused(_("本轮跟踪评价已结束。"))
    day = at.astimezone(CHINA).date().isoformat()
    reports = late_reports(round_, at).select_related("project")
    users = User.objects.filter(
        organisation_id__in=reports.values("project__organisation_id"), is_active=True
    )
    members = {}
    for user in users:
        members.setdefault(user.organisation_id, []).append(user)
    sent = 0
    for report in reports:
        text = str(
            _("%(round)s进展报告已于 %(due)s 截止，“%(project)s”尚未报送，请尽快填报。")
            % {
                "round": round_.title,
                "due": f"{round_.due_on:%Y年%m月%d日}",
                "project": report.project.name,
            }
        )
        sent += len(
            notify(
                members.get(report.project.organisation_id, []),
                text,
                url=reverse("tracking:my_report", args=[report.pk]),
                key=f"tracking-late:{report.pk}:{day}",
            )
        )
    record(round_, "remind_late", actor=by, data={"notified": sent, "day": day})
    return sent


# --- Attachments --------------------------------------------------------------------------


def _ensure_editable(locked):
    if not locked.round.is_open:
        raise ReportRefused(_("本轮跟踪评价已结束，不能再修改。"))
    if locked.state not in EDITABLE:
        raise ReportRefused(
            _("报告已提交（%(state)s），不能再修改附件。") % {"state": locked.get_state_display()}
        )


def add_attachment(report, uploaded, *, by) -> ReportAttachment:
    """Vet the file by its content and keep it under a random name."""
    inspected = inspect_upload(uploaded, ATTACHMENT_KINDS, settings.ATTACHMENT_MAX_BYTES)
    content, inspected = images.stored_form(uploaded, inspected)  # pictures lose metadata
    with transaction.atomic():
        locked = lock(report)
        _ensure_editable(locked)
        if locked.attachments.count() >= MAX_ATTACHMENTS:
            raise ReportRefused(_("每份报告最多上传 %(n)d 个附件。") % {"n": MAX_ATTACHMENTS})
        attachment = ReportAttachment(
            report=locked,
            original_name=safe_original_name(uploaded.name, "attachment"),
            content_type=inspected.content_type,
            extension=inspected.extension,
            size=inspected.size,
            sha256=inspected.sha256,
            uploaded_by=by,
            uploaded_at=now(),
        )
        attachment.file.save("upload", content, save=False)
        attachment.save()
        record(
            locked,
            "attach",
            actor=by,
            data={"attachment": str(attachment.pk), "name": attachment.original_name},
        )
    return attachment


def remove_attachment(attachment, *, by):
    with transaction.atomic():
        locked = lock(attachment.report)
        _ensure_editable(locked)
        record(
            locked,
            "detach",
            actor=by,
            data={"attachment": str(attachment.pk), "name": attachment.original_name},
        )
        attachment.delete()  # the stored file stays: the event still names it


# --- The local authority's comment --------------------------------------------------------


def save_comment(report, text, *, by, expected_version=0) -> AuthorityComment:
    """Write or revise the authority's comment while the report waits for evaluation.

    `expected_version` is the comment's version the page showed (0 when there was none).
    """
    text = text.strip()
    if not text:
        raise ReportRefused(_("请填写属地意见。"))
    try:
        with transaction.atomic():
            return _save_comment(report, text, by, int(expected_version or 0))
    except IntegrityError as error:  # two first comments at once: the second is stale
        raise StaleReport(report) from error


def _save_comment(report, text, by, expected_version):
    locked = lock(report)
    if not by.has_perm("tracking.comment_report", locked):
        raise ReportRefused(_("报告已评价或本轮已结束，属地意见不能再修改。"))
    comment = AuthorityComment.objects.select_for_update().filter(report=locked).first()
    if (comment.version if comment else 0) != expected_version:
        raise StaleReport(locked)
    action = "comment" if comment is None else "revise_comment"
    if comment is None:
        comment = AuthorityComment(report=locked, authority_id=by.authority_id, version=0)
    comment.text, comment.written_by, comment.written_at = text, by, now()
    comment.version += 1
    comment.save()
    record(locked, action, actor=by, data={"comment": text[:500]})
    return comment
