"""The per-applicant limit holds when several submits of one organisation race.

domain.submit counts the organisation's submitted applications after workflow.perform has
locked the organisation's row, so submits of one organisation queue and each one counts what
the previous one committed. Only PostgreSQL (row locks) can show this: SQLite takes one write
lock for the whole database, so its writers never overlap.
"""

import threading
import traceback

import pytest
from django.db import connection

from keyprojects.applications import domain
from keyprojects.applications.models import Application
from keyprojects.applications.workflow import Status, TransitionRefused
from keyprojects.audit.models import Event
from keyprojects.orgs.models import User

from .. import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises all writers; the race needs PostgreSQL row locks",
    ),
    pytest.mark.django_db(transaction=True),
]

ROUNDS = 5
TIMEOUT = 60  # seconds; a deadlock or a hung thread fails the test instead of hanging it
LIMIT_MESSAGE = "达到每个申报单位不超过 2 个的上限"


def race(submits):
    """Submit each (application pk, user pk) from its own thread, all released at once.

    Returns {application pk: None if it was submitted, else the TransitionRefused message}.
    Any other exception fails the test with its traceback.
    """
    barrier = threading.Barrier(len(submits))
    outcomes, errors = {}, []

    def work(application_pk, user_pk):
        try:
            # Each thread reads its own objects through its own connection.
            application = Application.objects.get(pk=application_pk)
            user = User.objects.get(pk=user_pk)
            barrier.wait(timeout=TIMEOUT)
            try:
                domain.submit(application, by=user)
            except TransitionRefused as refused:
                outcomes[application_pk] = str(refused.message)
            else:
                outcomes[application_pk] = None
        except BaseException:
            errors.append(traceback.format_exc())
            barrier.abort()
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=submit) for submit in submits]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a submit did not finish"
    assert not errors, "\n".join(errors)
    assert set(outcomes) == {application_pk for application_pk, _ in submits}
    return outcomes


def submitted(organisation):
    return set(
        Application.objects.filter(organisation=organisation, status=Status.SUBMITTED)
        .values_list("pk", flat=True)
        .order_by()
    )


def test_racing_submits_of_one_organisation_respect_the_limit(call, applicant, colleague):
    assert call.per_applicant_limit == 2
    organisation = applicant.organisation
    users = [applicant, colleague, applicant, colleague]
    applications = [factories.make_application(call, user) for user in users]
    submits = [(a.pk, u.pk) for a, u in zip(applications, users, strict=True)]

    for round_ in range(1, ROUNDS + 1):
        events_before = Event.objects.filter(action="submit").count()

        outcomes = race(submits)

        succeeded = {pk for pk, message in outcomes.items() if message is None}
        refused = [message for message in outcomes.values() if message is not None]
        assert len(succeeded) == 2, f"round {round_}: {outcomes}"
        assert len(refused) == 2, f"round {round_}: {outcomes}"
        assert all(LIMIT_MESSAGE in message for message in refused), refused
        assert all("已提交 2 个项目" in message for message in refused), refused
        assert submitted(organisation) == succeeded
        assert Event.objects.filter(action="submit").count() == events_before + 2

        # Withdraw the winners, so the next round races from no submitted application.
        for application in Application.objects.filter(pk__in=succeeded):
            domain.withdraw(application, by=applicant, reason=f"round {round_}")
        assert submitted(organisation) == set()


def test_racing_submits_of_different_organisations_both_succeed(call, applicant, stranger):
    """Each organisation is one submit short of its limit; both last submits go through."""
    last = {}
    for user in (applicant, stranger):
        domain.submit(factories.make_application(call, user), by=user)
        last[user.organisation_id] = factories.make_application(call, user)

    outcomes = race([(last[u.organisation_id].pk, u.pk) for u in (applicant, stranger)])

    assert outcomes == {application.pk: None for application in last.values()}
    for user in (applicant, stranger):
        assert len(submitted(user.organisation)) == 2
