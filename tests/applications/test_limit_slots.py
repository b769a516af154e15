"""The per-applicant limit is kept by the database too: every application that counts
towards it holds one of its organisation's numbered places, and no two hold the same one.
(tests/applications/test_concurrent_submit.py races the submits themselves.)"""

import pytest
from django.db import IntegrityError, transaction

from keyprojects.applications import domain
from keyprojects.applications.models import Application

from ..concurrency import on_postgresql, race, write_in_transaction
from ..factories import make_application

pytestmark = pytest.mark.django_db


def places(organisation):
    rows = Application.objects.filter(organisation=organisation).exclude(limit_slot=None)
    return sorted(rows.values_list("limit_slot", flat=True))


def test_submitted_applications_hold_places_and_a_withdrawal_frees_one(call, applicant):
    first, second, third = (make_application(call, applicant) for _ in range(3))
    domain.submit(first, by=applicant)
    domain.submit(second, by=applicant)
    assert places(applicant.organisation) == [1, 2]

    domain.withdraw(first, by=applicant, reason="改报")
    assert places(applicant.organisation) == [2]
    third = domain.submit(third, by=applicant)

    assert third.limit_slot == 1  # the free place
    assert places(applicant.organisation) == [1, 2]


def test_the_database_refuses_two_applications_in_one_place(call, applicant):
    first = domain.submit(make_application(call, applicant), by=applicant)
    draft = make_application(call, applicant)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=draft.pk).update(limit_slot=first.limit_slot)
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=draft.pk).update(limit_slot=0)


def test_places_are_per_organisation_and_call(call, applicant, stranger):
    mine = domain.submit(make_application(call, applicant), by=applicant)
    theirs = domain.submit(make_application(call, stranger), by=stranger)
    assert mine.limit_slot == theirs.limit_slot == 1


@pytest.mark.skipif(not on_postgresql, reason="SQLite serialises all writers: no race to lose")
@pytest.mark.django_db(transaction=True)
def test_racing_writers_of_one_place_without_any_lock_commit_once(call, applicant):
    """Code that forgot the organisation's lock: the constraint still lets one through."""
    drafts = [make_application(call, applicant) for _ in range(3)]

    def take_place_one(pk):
        return write_in_transaction(
            lambda: Application.objects.filter(pk=pk).update(limit_slot=1, status="submitted")
        )

    outcomes = race(*(take_place_one(d.pk) for d in drafts))

    assert outcomes.count(1) == 1, outcomes
    assert sum(isinstance(o, IntegrityError) for o in outcomes) == 2, outcomes
    assert places(applicant.organisation) == [1]
