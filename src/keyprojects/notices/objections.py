"""Objections (异议): filed by anyone during the notice period, answered by the office.

received → investigating → answered (upheld / not upheld), every step an audit event. An
upheld objection may withdraw its project from the list: the application's `not_select`
transition, with the objection as its reason.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.workflow import Status, TransitionRefused
from keyprojects.audit.domain import record
from keyprojects.core.clock import china_time, now
from keyprojects.documents import images
from keyprojects.documents.uploads import FileKind, inspect_upload, safe_original_name
from keyprojects.notifications.domain import notify
from keyprojects.orgs.models import OFFICE_GROUP

from . import decisions, workflow
from .models import Objection, PublicNotice

EVIDENCE_KINDS = {FileKind.PDF, FileKind.JPEG, FileKind.PNG}
# Unambiguous characters only: a receipt is read out over the phone.
_RECEIPT_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def evidence_max_bytes() -> int:
    return getattr(settings, "NOTICES_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)


def period_text(notice) -> str:
    return f"{notice.starts_on:%Y-%m-%d} — {notice.ends_on:%Y-%m-%d} 24:00"


def accepts_objections(notice, at=None) -> bool:
    at = at or now()
    return notice.state == PublicNotice.State.PUBLISHED and (
        notice.opens_at <= at < notice.closes_at
    )


def new_receipt(at) -> str:
    while True:
        code = "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(6))
        receipt = f"YY{china_time(at):%Y%m%d}-{code}"
        if not Objection.objects.filter(receipt=receipt).exists():
            return receipt


def file_objection(
    notice, *, application, reasons, name, phone="", email="", evidence=None, at=None
):
    """Record an objection; raises TransitionRefused (outside the period, project not on
    the list) or ValidationError (evidence refused by inspect_upload)."""
    at = at or now()
    if not accepts_objections(notice, at):
        raise TransitionRefused(
            _("异议受理期为公示期（%(period)s），当前不在受理期内。")
            % {"period": period_text(notice)}
        )
    if application.call_id != notice.call_id or application.status != Status.SELECTED:
        raise TransitionRefused(_("所选项目不在本次公示名单中。"))
    objection = Objection(
        notice=notice,
        application=application,
        receipt=new_receipt(at),
        reasons=reasons,
        name=name,
        phone=phone,
        email=email,
        filed_at=at,
    )
    if evidence is not None:
        inspected = inspect_upload(evidence, EVIDENCE_KINDS, evidence_max_bytes())
        content, inspected = images.stored_form(evidence, inspected)  # pictures lose metadata
        objection.evidence_name = safe_original_name(evidence.name, "evidence")
        objection.content_type = inspected.content_type
        objection.extension = inspected.extension
        objection.sha256 = inspected.sha256
        objection.evidence.save("evidence", content, save=False)
    with transaction.atomic():
        objection.save()
        record(
            objection,
            "file",
            to_state=objection.state,
            data={"receipt": objection.receipt, "application": str(application.pk)},
        )
        notify(
            get_user_model().objects.filter(groups__name=OFFICE_GROUP),
            _("收到对“%(name)s”的异议，回执号 %(receipt)s。")
            % {"name": application.name, "receipt": objection.receipt},
            url=reverse("notices:objection", args=[objection.pk]),
        )
    return objection


def investigate(objection, notes, *, by, expected_version=None):
    """Record (or update) what the office found; the objection is then under investigation."""
    if not notes.strip():
        raise TransitionRefused(_("请填写调查核实情况。"))

    def check(locked):
        locked.investigation = notes

    return workflow.perform(
        objection,
        "investigate",
        by=by,
        expected_version=expected_version,
        reason=notes,
        check=check,
    )


def answer(objection, outcome, text, *, by, withdraw=False, expected_version=None):
    """Answer the objection; an upheld one may withdraw its project from the list at once."""
    if outcome not in Objection.Outcome.values:
        raise TransitionRefused(_("请选择处理结论。"))
    if not text.strip():
        raise TransitionRefused(_("请填写答复意见。"))
    if withdraw and outcome != Objection.Outcome.UPHELD:
        raise TransitionRefused(_("只有异议成立时才能撤销该项目入选。"))
    at = now()

    def check(locked):
        locked.outcome, locked.answer = outcome, text
        locked.answered_at, locked.answered_by = at, by

    with transaction.atomic():
        answered = workflow.perform(
            objection,
            "answer",
            by=by,
            expected_version=expected_version,
            reason=text,
            check=check,
            data={"outcome": outcome},
        )
        if withdraw:
            answered = withdraw_project(answered, by=by)
        transaction.on_commit(lambda: _mail_answer(answered))
    return answered


def withdraw_project(objection, *, by):
    """Take an upheld objection's project off the list (not_select, the objection as reason)."""
    with transaction.atomic():
        locked = Objection.objects.select_for_update().get(pk=objection.pk)
        if not by.has_perm("notices.handle_objection", locked):
            raise PermissionDenied
        if locked.outcome != Objection.Outcome.UPHELD:
            raise TransitionRefused(_("只有异议成立时才能撤销该项目入选。"))
        if locked.project_withdrawn:
            raise TransitionRefused(_("该项目已因本异议撤销入选。"))
        reason = _("异议成立（回执号 %(receipt)s）：%(answer)s") % {
            "receipt": locked.receipt,
            "answer": locked.answer,
        }
        decisions.not_select(
            locked.application, str(reason), by=by, data={"objection": locked.receipt}
        )
        locked.project_withdrawn = True
        locked.version += 1
        locked.save()
        record(locked, "withdraw_project", actor=by, reason=str(reason))
    return locked


def _mail_answer(objection):
    if not objection.email:
        return
    send_mail(
        str(
            _("关于您对“%(name)s”所提异议的答复（回执号 %(receipt)s）")
            % {"name": objection.application.name, "receipt": objection.receipt}
        ),
        f"{objection.get_outcome_display()}\n\n{objection.answer}",
        None,
        [objection.email],
        fail_silently=True,
    )
