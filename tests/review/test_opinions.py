"""One opinion per authority and application: a later decision replaces it (the events keep
the history), the database holds no second one, and reviewers deciding at the same moment
leave exactly one opinion that matches the application's status."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from keyprojects.applications.workflow import TransitionRefused
from keyprojects.audit.models import Event
from keyprojects.review import domain
from keyprojects.review.models import Opinion

from ..concurrency import on_postgresql, race, write_in_transaction
from ..factories import make_user

pytestmark = pytest.mark.django_db
DECISIONS = {"recommend": "recommended", "not_recommend": "not_recommended", "return": "returned"}


def opinion_events(application):
    return Event.objects.filter(target_id=str(application.pk), action__in=DECISIONS)


def test_a_later_decision_replaces_the_opinion_and_both_are_events(county_reviewer, submitted):
    application = submitted[0]
    domain.decide(application, "recommend", by=county_reviewer, reason="同意推荐")
    domain.decide(application, "not_recommend", by=county_reviewer, reason="投资不足")

    opinion = Opinion.objects.get(application=application)
    assert (opinion.authority, opinion.decision, opinion.reason, opinion.version) == (
        application.authority,
        "not_recommend",
        "投资不足",
        2,
    )
    assert opinion_events(application).count() == 2


def test_the_database_refuses_a_second_opinion_and_a_refusal_without_reason(
    county_reviewer, submitted
):
    application = domain.decide(submitted[0], "recommend", by=county_reviewer)
    values = {
        "application": application,
        "authority": application.authority,
        "decided_by": county_reviewer,
        "decided_at": timezone.now(),
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Opinion.objects.create(decision="recommend", **values)
    Opinion.objects.all().delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Opinion.objects.create(decision="return", reason="", **values)


@pytest.mark.skipif(not on_postgresql, reason="SQLite serialises all writers: no race to lose")
@pytest.mark.django_db(transaction=True)
def test_reviewers_deciding_at_once_leave_one_opinion_matching_the_status(county, submitted):
    application = submitted[0]
    reviewers = [make_user(None, authority=county) for _ in DECISIONS]

    outcomes = race(
        *(
            lambda action=action, by=by: domain.decide(application, action, by=by, reason="理由")
            for action, by in zip(DECISIONS, reviewers, strict=True)
        )
    )

    done = [o for o in outcomes if not isinstance(o, Exception)]
    assert all(isinstance(o, TransitionRefused) for o in outcomes if o not in done), outcomes
    assert done, outcomes
    application.refresh_from_db()
    opinion = Opinion.objects.get(application=application)
    assert DECISIONS[opinion.decision] == application.status
    assert opinion.version == len(done) == opinion_events(application).count()


@pytest.mark.skipif(not on_postgresql, reason="SQLite serialises all writers: no race to lose")
@pytest.mark.django_db(transaction=True)
def test_racing_inserts_without_any_lock_commit_once(county, submitted):
    """Code that forgot the application's lock: the constraint still lets one through."""
    application = submitted[0]

    def insert(by):
        return write_in_transaction(
            lambda: Opinion.objects.create(
                application=application,
                authority=county,
                decision="recommend",
                decided_by=by,
                decided_at=timezone.now(),
            )
        )

    outcomes = race(*(insert(make_user(None, authority=county)) for _ in range(3)))

    assert sum(isinstance(o, Opinion) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, IntegrityError) for o in outcomes) == 2, outcomes


@pytest.mark.django_db(transaction=True)
def test_the_migration_takes_each_current_opinion_from_the_events(county_reviewer, submitted):
    first, second = submitted
    domain.decide(first, "recommend", by=county_reviewer, reason="同意")
    domain.decide(first, "return", by=county_reviewer, reason="补充材料")
    domain.decide(second, "recommend", by=county_reviewer, reason="同意推荐")
    before = set(Opinion.objects.values_list("application", "decision", "reason"))
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        MigrationExecutor(connection).migrate([("review", "0004_encrypt_table_content")])
        MigrationExecutor(connection).migrate(latest)
        after = set(Opinion.objects.values_list("application", "decision", "reason"))
        assert (
            after
            == before
            == {
                (first.pk, "return", "补充材料"),
                (second.pk, "recommend", "同意推荐"),
            }
        )
    finally:
        MigrationExecutor(connection).migrate(latest)
