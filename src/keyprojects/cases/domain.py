"""Business rules of typical cases: writing one from a selected project, editing its text,
figures and pictures, the applicant's consent, and publishing.

Consent is given to a content, not to a case: `Case.content_digest` fingerprints everything
the public would read (text, figures, pictures and their captions) and the consent keeps
the digest it was given for. An edit that changes the content sets the consent back to
"pending" (recorded as `consent_lapsed`), because the applicant agreed to other words:
what it expects is to be asked again before anything it has not seen goes out under its
name. Saving unchanged text keeps the consent. Publishing needs a consent to the content
as it stands.
"""

import hashlib
import json

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from keyprojects.applications.models import Application, Technology
from keyprojects.applications.workflow import Status, TransitionRefused
from keyprojects.audit.domain import record
from keyprojects.core.clock import now
from keyprojects.notifications.domain import notify
from keyprojects.orgs.models import OFFICE_GROUP, Region

from . import collection, images, search, workflow
from .models import Case, Figure, Image

TEXT_FIELDS = ["title", "summary", "problem", "solution", "technologies", "results"]
REQUIRED_TO_SUBMIT = ["title", "summary", "problem", "solution"]


def city_of(organisation):
    """The prefecture city of an organisation's seat; None for provincial units and SOEs."""
    if organisation.is_provincial:
        return None
    seat = organisation.seat
    if seat.kind == Region.Kind.CITY:
        return seat
    if seat.is_county_level and seat.parent_id:
        return seat.parent
    return None


def _join(*parts, between="\n\n"):
    return between.join(part.strip() for part in parts if part and part.strip())


def prefilled(application) -> dict:
    """A first draft of the text from what the applicant wrote in its application."""
    labels = [
        application.technologies_other or str(Technology.OTHER.label)
        if value == Technology.OTHER
        else str(Technology(value).label)
        for value in application.technologies
        if value in Technology.values
    ]
    users = application.users_served.strip()
    return {
        "title": application.name,
        "summary": application.summary,
        "problem": application.problems_solved,
        "solution": _join(application.construction_content, application.innovation),
        "technologies": "、".join(labels),
        "results": _join(
            _("服务用户规模：%(users)s") % {"users": users} if users else "",
            application.economic_benefit,
            application.social_benefit,
            between="\n",
        ),
    }


def content_digest(case, figures, pictures) -> str:
    content = {
        "text": [getattr(case, name) for name in TEXT_FIELDS],
        "figures": [[f.label, format(f.value, "f"), f.unit] for f in figures],
        "images": [[p.sha256, p.caption] for p in pictures],
    }
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def _refresh(locked, *, by):
    """Recompute the search text and the digest of a locked case; lapse a consent given or
    refused for other content. The caller saves."""
    figures = list(locked.figures.all())
    pictures = list(locked.images.all())
    locked.search_title, locked.search_text = search.search_fields(locked, figures)
    before, locked.content_digest = locked.content_digest, content_digest(locked, figures, pictures)
    if before != locked.content_digest and locked.consent != Case.Consent.PENDING:
        record(
            locked,
            "consent_lapsed",
            actor=by,
            from_state=locked.consent,
            to_state=Case.Consent.PENDING,
        )
        locked.consent = Case.Consent.PENDING


def _locked_draft(case, by, expected_version=None):
    locked = workflow.lock(case)
    if not by.has_perm("cases.manage_case", locked):
        raise PermissionDenied
    workflow.ensure_version(locked, expected_version)
    if not locked.is_editable:
        raise TransitionRefused(
            _("当前状态为“%(state)s”，不能修改。请先退回或重新修改为草稿。")
            % {"state": locked.get_state_display()}
        )
    return locked


def create_case(application, *, by) -> Case:
    """A draft case about a selected project, its text prefilled from the application."""
    if not by.has_perm("cases.manage_case"):
        raise PermissionDenied
    try:
        with transaction.atomic():
            fresh = (
                Application.objects.select_for_update(of=("self",))
                .select_related("call", "organisation__seat", "category")
                .get(pk=application.pk)
            )
            if fresh.status != Status.SELECTED:
                raise TransitionRefused(_("只有入选项目才能编写典型案例。"))
            if fresh.cases.exclude(state=Case.State.DISCARDED).exists():
                raise TransitionRefused(_("该项目已有典型案例。"))
            case = Case(
                application=fresh,
                year=fresh.call.year,
                category=fresh.category,
                organisation=fresh.organisation,
                city=city_of(fresh.organisation),
                created_by=by,
                updated_by=by,
                **prefilled(fresh),
            )
            case.save()
            _refresh(case, by=by)
            case.save(update_fields=["search_title", "search_text", "content_digest"])
            record(
                case, "create", actor=by, to_state=case.state, data={"application": str(fresh.pk)}
            )
    except IntegrityError as error:  # another office member was quicker
        raise TransitionRefused(_("该项目已有典型案例。")) from error
    return case


def save_text(case, values: dict, *, by, expected_version) -> Case:
    """Save the text fields of a draft unless someone else saved since `expected_version`."""
    with transaction.atomic():
        locked = _locked_draft(case, by, expected_version)
        changed = [name for name in TEXT_FIELDS if getattr(locked, name) != values[name]]
        for name in TEXT_FIELDS:
            setattr(locked, name, values[name])
        locked.version += 1
        locked.updated_by = by
        _refresh(locked, by=by)
        locked.save()
        if changed:
            record(locked, "save", actor=by, data={"fields": changed})
    return locked


def add_figure(case, *, label, value, unit, by) -> Figure:
    with transaction.atomic():
        locked = _locked_draft(case, by)
        order = locked.figures.count()
        figure = Figure.objects.create(
            case=locked, label=label, value=value, unit=unit, order=order
        )
        _touch(locked, by, "add_figure", {"figure": str(figure)})
    return figure


def delete_figure(figure, *, by):
    with transaction.atomic():
        locked = _locked_draft(figure.case, by)
        text = str(figure)
        Figure.objects.filter(pk=figure.pk, case=locked).delete()
        _touch(locked, by, "delete_figure", {"figure": text})


def add_image(case, uploaded, *, caption, by) -> Image:
    """Vet and redraw the picture (images.py), then store it under a random name."""
    redrawn = images.redraw(uploaded)  # outside the lock: decoding takes a moment
    with transaction.atomic():
        locked = _locked_draft(case, by)
        picture = Image(
            case=locked,
            caption=caption,
            content_type=redrawn.kind.content_type,
            extension=redrawn.kind.extension,
            width=redrawn.width,
            height=redrawn.height,
            size=len(redrawn.data),
            sha256=hashlib.sha256(redrawn.data).hexdigest(),
            order=locked.images.count(),
            uploaded_by=by,
            uploaded_at=now(),
        )
        picture.file.save("image", ContentFile(redrawn.data), save=False)
        try:
            picture.save()
            _touch(locked, by, "add_image", {"image": str(picture.pk), "caption": caption})
        except Exception:  # the row was refused: the file must not stay behind
            picture.file.delete(save=False)
            raise
    return picture


def delete_image(picture, *, by):
    with transaction.atomic():
        locked = _locked_draft(picture.case, by)
        Image.objects.filter(pk=picture.pk, case=locked).delete()
        _touch(locked, by, "delete_image", {"image": str(picture.pk), "caption": picture.caption})
        name, storage = picture.file.name, picture.file.storage
        transaction.on_commit(lambda: storage.delete(name))


def _touch(locked, by, action, data):
    locked.version += 1
    locked.updated_by = by
    _refresh(locked, by=by)
    locked.save()
    record(locked, action, actor=by, data=data)


def office_members():
    return get_user_model().objects.filter(groups__name=OFFICE_GROUP, is_active=True)


class ContentChanged(TransitionRefused):
    """The office changed the case after the applicant opened it."""

    def __init__(self):
        super().__init__(
            _("案例内容已被省信息化办修改，您的意见未保存。请阅读下面的最新内容后重新确认。")
        )


def request_consent(case, *, by):
    """Ask the applicant organisation's users to read the case and decide."""
    if not by.has_perm("cases.manage_case", case):
        raise PermissionDenied
    if case.state == Case.State.DISCARDED:
        raise TransitionRefused(_("案例已作废。"))
    users = list(case.organisation.users.filter(is_active=True))
    if not users:
        raise TransitionRefused(_("该申报单位没有可用账号，无法征求意见。"))
    with transaction.atomic():
        notified = notify(
            users,
            _(
                "省信息化办根据贵单位入选项目编写了典型案例《%(title)s》，请阅读并确认是否同意公开发布。"
            )
            % {"title": case.title},
            url=reverse("cases:consent", args=[case.pk]),
            key=f"case-consent-{case.pk}-{case.content_digest[:16]}",
        )
        record(case, "consent_requested", actor=by, data={"notified": len(notified)})
    return notified


def decide_consent(case, *, given: bool, note: str, seen_digest: str, by) -> Case:
    """The applicant's answer about the content it saw (`seen_digest`). Refusing a published
    case takes it down at once: consent withdrawn is consent no longer there."""
    note = (note or "").strip()
    if not given and not note:
        raise TransitionRefused(_("请说明不同意发布的原因或修改意见。"))
    with transaction.atomic():
        locked = workflow.lock(case)
        if not by.has_perm("cases.give_consent", locked):
            raise PermissionDenied
        if seen_digest != locked.content_digest:
            raise ContentChanged()
        decision = Case.Consent.GIVEN if given else Case.Consent.REFUSED
        previous = locked.consent
        locked.consent, locked.consent_note = decision, note
        locked.consent_by, locked.consent_at = by, now()
        locked.consent_digest = locked.content_digest
        locked.save()
        record(
            locked,
            "consent_given" if given else "consent_refused",
            actor=by,
            from_state=previous,
            to_state=decision,
            reason=note,
            data={"digest": locked.content_digest},
        )
        if not given and locked.state == Case.State.PUBLISHED:
            locked = workflow.perform(locked, "withdraw_consent", by=by, reason=note)
            collection.request(locked.year, withdrawn=True)
        notify(
            list(office_members()),
            _("%(org)s%(decision)s典型案例《%(title)s》。")
            % {
                "org": locked.organisation.name,
                "decision": _("同意发布") if given else _("不同意发布"),
                "title": locked.title,
            },
            url=reverse("cases:office_case", args=[locked.pk]),
        )
    return locked


def _ensure_publishable(locked):
    problems = []
    if not locked.consent_valid:
        problems.append(_("申报单位尚未同意发布当前内容。"))
    if locked.application.status != Status.SELECTED:
        problems.append(_("该项目已不在入选名单中。"))
    if problems:
        raise TransitionRefused(problems[0], problems)


def _ensure_complete(locked):
    missing = [
        str(Case._meta.get_field(name).verbose_name)
        for name in REQUIRED_TO_SUBMIT
        if not getattr(locked, name).strip()
    ]
    if missing:
        raise TransitionRefused(_("请先填写：%(fields)s。") % {"fields": "、".join(missing)})


def act(case, name, *, by, expected_version, reason=""):
    """Perform an office transition; publishing and unpublishing renew the yearly PDF."""
    checks = {"publish": _ensure_publishable, "submit": _ensure_complete}
    with transaction.atomic():
        done = workflow.perform(
            case,
            name,
            by=by,
            expected_version=expected_version,
            reason=reason,
            check=checks.get(name),
        )
        if name == "publish":
            collection.request(done.year)
        elif name == "unpublish":
            collection.request(done.year, withdrawn=True)
    return done
