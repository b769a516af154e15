"""k experts per application, kept by the code (add_expert refuses a (k+1)th) and by the
database (each assignment fills one of the application's numbered places, never twice),
also when the office's members add experts at the same moment."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from keyprojects.experts import assignment
from keyprojects.experts.models import Assignment, ReviewPlan

from ..concurrency import on_postgresql, race, write_in_transaction
from .conftest import make_expert, passed_application

pytestmark = pytest.mark.django_db
K = 2


@pytest.fixture
def application(call, office):
    ReviewPlan.objects.create(call=call, experts_per_application=K, max_per_expert=10)
    return passed_application(call, office, seat="320102")


def places(application):
    return sorted(application.expert_assignments.values_list("slot", flat=True))


def test_a_run_and_hand_edits_fill_places_one_to_k(call, office, application):
    experts = [make_expert() for _ in range(3)]
    assignment.run(call, by=office)
    assert places(application) == [1, 2]

    removed = application.expert_assignments.get(slot=1)
    assignment.remove(removed, by=office, reason="专家请假")
    spare = next(e for e in experts if not application.expert_assignments.filter(expert=e))
    added = assignment.add_expert(application, spare, by=office)

    assert added.slot == 1
    assert places(application) == [1, 2]


def test_a_hand_edit_beyond_k_is_refused(office, application):
    for expert in (make_expert(), make_expert()):
        assignment.add_expert(application, expert, by=office)
    with pytest.raises(assignment.AssignmentRefused, match="达到每个项目 2 名的设定"):
        assignment.add_expert(application, make_expert(), by=office)
    assert places(application) == [1, 2]


def test_the_database_refuses_two_assignments_in_one_place(office, application):
    first = assignment.add_expert(application, make_expert(), by=office)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            expert=make_expert(),
            application=application,
            slot=first.slot,
            assigned_by=office,
            assigned_at=timezone.now(),
        )


@pytest.mark.skipif(not on_postgresql, reason="SQLite serialises all writers: no race to lose")
@pytest.mark.django_db(transaction=True)
def test_office_members_adding_experts_at_once_never_exceed_k(office, application):
    experts = [make_expert() for _ in range(4)]

    outcomes = race(
        *(lambda e=e: assignment.add_expert(application, e, by=office) for e in experts)
    )

    added = [o for o in outcomes if isinstance(o, Assignment)]
    refused = [o for o in outcomes if isinstance(o, assignment.AssignmentRefused)]
    assert (len(added), len(refused)) == (K, len(experts) - K), outcomes
    assert places(application) == [1, 2]


@pytest.mark.skipif(not on_postgresql, reason="SQLite serialises all writers: no race to lose")
@pytest.mark.django_db(transaction=True)
def test_racing_inserts_of_one_place_without_any_lock_commit_once(office, application):
    """Code that forgot the plan's lock: the constraint still lets one through."""
    experts = [make_expert() for _ in range(3)]

    def take_place_one(expert):
        return write_in_transaction(
            lambda: Assignment.objects.create(
                expert=expert,
                application=application,
                slot=1,
                assigned_by=office,
                assigned_at=timezone.now(),
            )
        )

    outcomes = race(*(take_place_one(e) for e in experts))

    assert sum(isinstance(o, Assignment) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, IntegrityError) for o in outcomes) == 2, outcomes
    assert places(application) == [1]
