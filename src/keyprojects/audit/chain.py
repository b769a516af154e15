"""The tamper-evident audit chain (等保2.0 安全审计, 商用密码 SM3).

Every event's hash is SM3 over the previous event's hash and the event's own content in a
canonical form, so changing, removing or reordering any stored row breaks the chain from
there on; `manage.py verify_audit_chain` recomputes it. Appending takes a row lock on the
one ChainHead row, which orders appends; the lock is held only to the end of the
transaction that records the event, which is short for every writer here.
"""

import hashlib
import json

from django.db import IntegrityError, transaction

from .models import ChainHead, Event

GENESIS = "0" * 64


def canonical(event: Event) -> bytes:
    content = {
        "seq": event.seq,
        "id": str(event.id),
        "at": event.at.isoformat(timespec="microseconds"),
        "actor": event.actor_id,
        "role": event.role,
        "ip": event.ip,
        "target": [event.target_type, event.target_id],
        "action": event.action,
        "from": event.from_state,
        "to": event.to_state,
        "reason": event.reason,
        "data": event.data,
        "outcome": event.outcome,
    }
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def digest(prev_hash: str, event: Event) -> str:
    return hashlib.new("sm3", prev_hash.encode("ascii") + canonical(event)).hexdigest()


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            ChainHead.objects.create(pk=1, seq=0, hash=GENESIS)
    except IntegrityError:
        pass  # another process created it first
    return ChainHead.objects.select_for_update().get(pk=1)


def append(events: list[Event]) -> list[Event]:
    """Chain and store `events` (unsaved), in order."""
    # No savepoint inside the caller's transaction (two round trips on every save): if the
    # events cannot be stored, the change they record must not be stored either.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        for event in events:
            event.seq = head.seq + 1
            event.prev_hash = head.hash
            event.hash = digest(head.hash, event)
            head.seq, head.hash = event.seq, event.hash
        Event.objects.bulk_create(events, batch_size=1000)
        head.save(update_fields=["seq", "hash"])
    return events


def verify(chunk: int = 5000) -> list[str]:
    """Recompute the chain; the problems found, in Chinese (empty when intact)."""
    problems = []
    expected_seq, prev_hash = 1, GENESIS
    for event in Event.objects.order_by("seq").iterator(chunk_size=chunk):
        if event.seq is None:
            problems.append(f"事件 {event.id} 没有链序号")
            continue
        if event.seq != expected_seq:
            problems.append(f"序号 {expected_seq} 至 {event.seq - 1} 的事件缺失")
        if event.prev_hash != prev_hash:
            problems.append(f"序号 {event.seq} 的前序哈希与上一条不符")
        if digest(event.prev_hash, event) != event.hash:
            problems.append(f"序号 {event.seq} 的内容已被改动（哈希不符）")
        expected_seq, prev_hash = event.seq + 1, event.hash
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (expected_seq - 1, prev_hash):
        problems.append(
            f"链末端记录为序号 {head.seq}，而最后一条事件为 {expected_seq - 1}：末尾事件缺失"
        )
    return problems
