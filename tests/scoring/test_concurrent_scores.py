"""One score per expert and application, kept by the code (the round's row lock and the
version) and by the database (unique round, expert, application), when two of the
expert's tabs save the first score at once."""

import pytest
from django.db import IntegrityError

from keyprojects.scoring import domain
from keyprojects.scoring.models import Score

from ..concurrency import on_postgresql, race, write_in_transaction

pytestmark = [
    pytest.mark.skipif(not on_postgresql, reason="SQLite serialises all writers: no race to lose"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def expert(experts):
    return experts[0]


@pytest.fixture
def application(online):
    return online.call.applications.order_by("name").first()


def test_two_first_saves_at_once_make_one_score_and_refuse_the_other(online, expert, application):
    def first_save(opinion):
        return lambda: domain.save_score(
            online,
            application,
            expert,
            items={},
            comments={},
            opinion=opinion,
            by=expert.user,
            expected_version=0,
        )

    outcomes = race(first_save("第一个标签页"), first_save("第二个标签页"))

    saved = [o for o in outcomes if isinstance(o, Score)]
    assert len(saved) == 1, outcomes
    assert sum(isinstance(o, domain.StaleScore) for o in outcomes) == 1, outcomes
    stored = Score.objects.get(round=online, expert=expert, application=application)
    assert (stored.pk, stored.opinion, stored.version) == (saved[0].pk, saved[0].opinion, 1)


def test_racing_inserts_without_any_lock_commit_once(online, expert, application):
    """Code that forgot the round's lock: the constraint still lets one through."""

    def insert():
        return write_in_transaction(
            lambda: Score.objects.create(
                round=online,
                expert=expert,
                application=application,
                saved_by=expert.user,
                saved_at=online.opened_at,
            )
        )

    outcomes = race(insert(), insert(), insert())

    assert sum(isinstance(o, Score) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, IntegrityError) for o in outcomes) == 2, outcomes
