"""The states and transitions of a public notice and of an objection: the only writer of
their `state`.

Each transition names its sources, target, the permission it needs and its label; performing
one locks the row, checks the permission, the state and the optimistic-lock version, runs the
domain's own check, writes the state and records an audit event. (The applications' own
`select` / `not_select` live in applications.workflow.)
"""

import dataclasses

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.workflow import TransitionRefused
from keyprojects.audit.domain import record

from .models import Objection, PublicNotice

NoticeState = PublicNotice.State
ObjectionState = Objection.State


@dataclasses.dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    permission: str
    label: str


NOTICE_TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "publish",
            frozenset({NoticeState.DRAFT}),
            NoticeState.PUBLISHED,
            "notices.manage_notice",
            _("发布公示"),
        ),
        Transition(
            "finalise",
            frozenset({NoticeState.PUBLISHED}),
            NoticeState.FINALISED,
            "notices.manage_notice",
            _("确定最终名单"),
        ),
    ]
}

OBJECTION_TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "investigate",
            frozenset({ObjectionState.RECEIVED, ObjectionState.INVESTIGATING}),
            ObjectionState.INVESTIGATING,
            "notices.handle_objection",
            _("记录调查核实情况"),
        ),
        Transition(
            "answer",
            frozenset({ObjectionState.RECEIVED, ObjectionState.INVESTIGATING}),
            ObjectionState.ANSWERED,
            "notices.handle_objection",
            _("答复异议"),
        ),
    ]
}


class StaleVersion(TransitionRefused):
    """Someone else saved the object since the page was opened."""

    def __init__(self):
        super().__init__(_("该记录已被他人修改，您的操作未保存。请刷新页面查看最新内容后重试。"))


def ensure_version(obj, expected_version):
    if expected_version is not None and int(expected_version) != obj.version:
        raise StaleVersion()


def perform(obj, name, *, by, expected_version=None, reason="", check=None, data=None):
    """Move a notice or an objection through transition `name`, atomically, with an event.

    `check(locked)` may raise TransitionRefused and may change other fields of `locked`
    (they are saved with the state).
    """
    transitions = NOTICE_TRANSITIONS if isinstance(obj, PublicNotice) else OBJECTION_TRANSITIONS
    transition = transitions[name]
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        if not by.has_perm(transition.permission, locked):
            raise PermissionDenied
        ensure_version(locked, expected_version)
        if locked.state not in transition.sources:
            raise TransitionRefused(
                _("当前状态为“%(state)s”，不能%(action)s。")
                % {"state": locked.get_state_display(), "action": transition.label}
            )
        if check is not None:
            check(locked)
        from_state = locked.state
        locked.state = transition.target
        locked.version += 1
        locked.save()
        record(
            locked,
            name,
            actor=by,
            from_state=from_state,
            to_state=locked.state,
            reason=reason,
            data=data,
        )
    return locked
