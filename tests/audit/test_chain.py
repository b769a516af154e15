"""The audit trail is tamper-evident: an SM3 chain that a command recomputes."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from keyprojects.audit import chain
from keyprojects.audit.domain import record
from keyprojects.audit.models import ChainHead, Event

from .. import factories


@pytest.fixture
def events(organisation, applicant):
    return [
        record(organisation, f"action_{n}", actor=applicant, reason=f"第{n}次", data={"n": n})
        for n in range(5)
    ]


def test_an_untouched_chain_verifies(events, capsys):
    assert chain.verify() == []
    call_command("verify_audit_chain")
    assert "审计链完整" in capsys.readouterr().out
    assert [e.seq for e in events] == [1, 2, 3, 4, 5]
    assert events[1].prev_hash == events[0].hash
    assert len(events[0].hash) == 64  # SM3: 256 bits


def test_a_changed_reason_is_found(events):
    Event.objects.filter(pk=events[2].pk).update(reason="改过的理由")
    assert chain.verify() == ["序号 3 的内容已被改动（哈希不符）"]
    with pytest.raises(CommandError, match="1 处问题"):
        call_command("verify_audit_chain")


def test_a_changed_actor_or_time_is_found(events, stranger):
    Event.objects.filter(pk=events[0].pk).update(actor=stranger)
    Event.objects.filter(pk=events[3].pk).update(at=events[1].at)
    assert chain.verify() == [
        "序号 1 的内容已被改动（哈希不符）",
        "序号 4 的内容已被改动（哈希不符）",
    ]


def test_a_removed_event_is_found(events):
    Event.objects.filter(pk=events[1].pk).delete()
    problems = chain.verify()
    assert "序号 2 至 2 的事件缺失" in problems
    assert "序号 3 的前序哈希与上一条不符" in problems


def test_removing_the_newest_events_is_found(events):
    Event.objects.filter(seq__gte=4).delete()
    assert chain.verify() == ["链末端记录为序号 5，而最后一条事件为 3：末尾事件缺失"]


def test_a_recomputed_forgery_still_breaks_at_the_head(events):
    """Rewriting a row and its own hash is not enough: the next row names the old hash."""
    forged = Event.objects.get(pk=events[2].pk)
    forged.reason = "伪造"
    forged.hash = chain.digest(forged.prev_hash, forged)
    forged.save()
    assert chain.verify() == ["序号 4 的前序哈希与上一条不符"]


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_one_unbroken_chain(regions):
    organisation = factories.make_organisation()
    errors = []
    barrier = threading.Barrier(8)

    def work(n):
        try:
            barrier.wait(timeout=30)
            for i in range(10):
                record(organisation, f"thread_{n}_{i}")
        except BaseException as error:  # reported below, with the test's failure
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert chain.verify() == []
    assert ChainHead.objects.get().seq == Event.objects.count()
    assert Event.objects.filter(action__startswith="thread_").count() == 80
