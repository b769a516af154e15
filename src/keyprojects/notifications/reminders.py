"""Reminders of approaching deadlines, at most one a day per person and deadline.

Run daily (cron or systemd timer): `manage.py send_reminders`.
"""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from keyprojects.applications.models import Application
from keyprojects.applications.workflow import EDITABLE, Status
from keyprojects.calls.domain import format_deadline
from keyprojects.calls.models import Call
from keyprojects.core.clock import CHINA, now
from keyprojects.orgs.models import User

from .domain import notify

AHEAD = dt.timedelta(days=3)


def send_reminders(at=None) -> int:
    at = at or now()
    day = at.astimezone(CHINA).date().isoformat()
    sent = 0
    for call in Call.objects.filter(
        is_published=True, window_closes_at__gt=at, window_closes_at__lte=at + AHEAD
    ):
        sent += _remind_applicants(call, day)
    for call in Call.objects.filter(
        is_published=True, recommendation_deadline__gt=at, recommendation_deadline__lte=at + AHEAD
    ):
        sent += _remind_reviewers(call, day)
    return sent


def _remind_applicants(call, day):
    unsent = Application.objects.filter(call=call, status__in=EDITABLE)
    users = User.objects.filter(organisation__applications__in=unsent).distinct()
    text = _("“%(call)s”网上申报将于 %(deadline)s（北京时间）截止，本单位还有未提交的申报书。") % {
        "call": call.title,
        "deadline": format_deadline(call.window_closes_at),
    }
    return len(notify(users, text, url=reverse("applications:home"), key=f"window:{call.pk}:{day}"))


def _remind_reviewers(call, day):
    pending = Application.objects.filter(call=call, status=Status.SUBMITTED)
    users = User.objects.filter(authority__routed_applications__in=pending).distinct()
    text = _(
        "“%(call)s”推荐意见将于 %(deadline)s（北京时间）截止，本单位还有未出具意见的项目。"
    ) % {"call": call.title, "deadline": format_deadline(call.recommendation_deadline)}
    return len(
        notify(
            users,
            text,
            url=reverse("review:queue") + f"?call={call.slug}",
            key=f"recommendation:{call.pk}:{day}",
        )
    )
