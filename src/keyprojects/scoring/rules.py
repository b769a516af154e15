"""Who may see and do what in scoring.

An expert sees an application only as a task of a round that has started and in which
they are assigned (online: the call's assignment; defence: the panel of its slot), and
only their own scores. The office sees and manages everything of every call. An
applicant sees only its own organisation's defence slots, never who sits on the panel.
"""

import dataclasses

import rules

from keyprojects.experts.rules import is_expert
from keyprojects.orgs.rules import is_applicant, is_office

from . import queries
from .models import ReviewRound


@dataclasses.dataclass(frozen=True)
class RoundTask:
    """An application as a task of one round (the object the expert permissions check)."""

    round: ReviewRound
    application: object


@rules.predicate
def assigned_in_round(user, task):
    return (
        task is not None
        and is_expert(user)
        and task.round.state != ReviewRound.State.PLANNED
        and queries.is_assigned(user.expert, task.round, task.application)
    )


@rules.predicate
def own_score(user, score):
    return score is not None and is_expert(user) and score.expert_id == user.expert.pk


@rules.predicate
def slot_of_users_organisation(user, slot):
    return (
        slot is not None
        and is_applicant(user)
        and slot.application.organisation_id == user.organisation_id
    )


@rules.predicate
def has_defence_slot(user):
    return is_applicant(user) and queries.applicant_slots(user).exists()


rules.add_perm("scoring.view_own_tasks", is_expert)
rules.add_perm("scoring.view_task", assigned_in_round)
rules.add_perm("scoring.score_task", assigned_in_round)
rules.add_perm("scoring.view_score", own_score | is_office)
rules.add_perm("scoring.reopen_score", is_office)
rules.add_perm("scoring.enter_paper_score", is_office)
rules.add_perm("scoring.manage_rounds", is_office)
rules.add_perm("scoring.view_slot", slot_of_users_organisation | is_office)
rules.add_perm("scoring.view_own_slots", is_applicant)
rules.add_perm("scoring.has_defence_slot", has_defence_slot)  # for the menu only
