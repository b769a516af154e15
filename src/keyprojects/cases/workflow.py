"""The states and transitions of a case: the only code that writes `Case.state`.

    draft ──submit──▶ in_review ──publish──▶ published ──unpublish──▶ unpublished
      ▲                  │                      │                        │  │
      └────return────────┘                      └─withdraw_consent──────▶┘  │
      ▲                                                     publish (again) ◀┘
      └──────────────────────revise───────────────────────────────────────┘
    draft, unpublished ──discard──▶ discarded

Each transition names its sources, target, the permission it needs (rules.py), whether it
needs a reason, and its label; performing one locks the row, checks the permission, the
optimistic-lock version and the state, runs the domain's own check, writes the state and
records an audit event, all in one transaction.
"""

import dataclasses

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from keyprojects.applications.workflow import TransitionRefused
from keyprojects.audit.domain import record
from keyprojects.core.clock import now

from .models import Case

State = Case.State


@dataclasses.dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    permission: str
    label: str
    needs_reason: bool = False


TRANSITIONS = {
    t.name: t
    for t in [
        Transition(
            "submit",
            frozenset({State.DRAFT}),
            State.IN_REVIEW,
            "cases.manage_case",
            _("提交审核"),
        ),
        Transition(
            "return",
            frozenset({State.IN_REVIEW}),
            State.DRAFT,
            "cases.manage_case",
            _("退回修改"),
            needs_reason=True,
        ),
        # Publishing is approving: someone other than the submitter (rules.py, four eyes).
        Transition(
            "publish",
            frozenset({State.IN_REVIEW, State.UNPUBLISHED}),
            State.PUBLISHED,
            "cases.approve_case",
            _("审核通过并发布"),
        ),
        Transition(
            "unpublish",
            frozenset({State.PUBLISHED}),
            State.UNPUBLISHED,
            "cases.manage_case",
            _("撤下"),
            needs_reason=True,
        ),
        # The applicant takes back its consent: the case comes down at once.
        Transition(
            "withdraw_consent",
            frozenset({State.PUBLISHED}),
            State.UNPUBLISHED,
            "cases.give_consent",
            _("申报单位撤回同意"),
            needs_reason=True,
        ),
        Transition(
            "revise",
            frozenset({State.UNPUBLISHED}),
            State.DRAFT,
            "cases.manage_case",
            _("重新修改"),
        ),
        Transition(
            "discard",
            frozenset({State.DRAFT, State.UNPUBLISHED}),
            State.DISCARDED,
            "cases.manage_case",
            _("作废"),
            needs_reason=True,
        ),
    ]
}

# What the office's page offers, by state (the applicant's withdrawal is on its own page).
OFFICE_ACTIONS = ["submit", "return", "publish", "unpublish", "revise", "discard"]


class StaleVersion(TransitionRefused):
    """Someone else changed the case since the page was opened."""

    def __init__(self):
        super().__init__(_("该案例已被他人修改，您的操作未保存。请刷新页面查看最新内容后重试。"))


def ensure_version(case, expected_version):
    if expected_version is not None and int(expected_version) != case.version:
        raise StaleVersion()


def lock(case):
    """The case row, locked for the rest of the transaction."""
    return Case.objects.select_for_update().get(pk=case.pk)


def available(case, user):
    """The office transitions `user` may perform on `case` now (for the buttons)."""
    return [
        TRANSITIONS[name]
        for name in OFFICE_ACTIONS
        if case.state in TRANSITIONS[name].sources
        and user.has_perm(TRANSITIONS[name].permission, case)
    ]


def perform(case, name, *, by, expected_version=None, reason="", check=None, data=None):
    """Move `case` through transition `name`, atomically, recording an event.

    `check(locked)` may raise TransitionRefused; it runs after the locks are taken.
    """
    transition = TRANSITIONS[name]
    reason = (reason or "").strip()
    at = now()
    with transaction.atomic():
        locked = lock(case)
        if not by.has_perm(transition.permission, locked):
            raise PermissionDenied
        ensure_version(locked, expected_version)
        if locked.state not in transition.sources:
            raise TransitionRefused(
                _("当前状态为“%(state)s”，不能%(action)s。")
                % {"state": locked.get_state_display(), "action": transition.label}
            )
        if transition.needs_reason and not reason:
            raise TransitionRefused(_("请填写%(action)s的理由。") % {"action": transition.label})
        if check is not None:
            check(locked)
        from_state = locked.state
        locked.state = transition.target
        locked.version += 1
        if transition.needs_reason:
            locked.state_reason = reason
        if name == "submit":
            locked.submitted_by, locked.submitted_at = by, at
        elif name == "publish":
            locked.published_by, locked.published_at = by, at
            locked.state_reason = ""
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
