"""Re-encrypt every encrypted column under the current field key (docs/security.md, 商用密码).

Rows are read in batches of primary keys; a row is written again only if one of its values
is under another key (or still plaintext from before encryption) or one of its digests was
computed with another digest key. A second run therefore writes nothing. Each batch is its
own transaction with the rows locked, so the platform can keep running meanwhile. The run is
an audit event (system actor) with the counts.
"""

from collections import Counter

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from keyprojects.audit import chain
from keyprojects.audit.domain import event
from keyprojects.core import crypto
from keyprojects.core.fields import (
    batches,
    column_of,
    digest_fields,
    encrypted_fields,
    raw_values,
    reencrypt,
)


def stale_rows(model, pks, current: str, keys: Counter) -> list:
    """The rows among `pks` to write again; counts each stored value's key in `keys`."""
    fields = encrypted_fields(model)
    digests = digest_fields(model)
    by_name = {f.name: f for f in model._meta.concrete_fields}
    sources = [by_name[d.of] for d in digests]
    read = list(dict.fromkeys([*fields, *sources, *digests]))
    stale = []
    for pk, *values in raw_values(model._base_manager.filter(pk__in=pks), read):
        stored = dict(zip([f.attname for f in read], values, strict=True))
        outdated = False
        for field in fields:
            token = stored[field.attname]
            if token:
                key = crypto.key_id_of(token) or "plaintext"
                keys[f"{column_of(field)}:{key}"] += 1
                outdated |= key != current
        for field, source in zip(digests, sources, strict=True):
            plain = crypto.decrypt(stored[source.attname] or "", column_of(source))
            outdated |= stored[field.attname] != crypto.digest(plain)
        if outdated:
            stale.append(pk)
    return stale


def rotate(*, size=500, dry_run=False) -> dict:
    """{"key": current id, "rewritten": {model: rows}, "values": {column:key: count}}."""
    current = crypto.keyring().current_id
    rewritten, keys = Counter(), Counter()
    for model in apps.get_models():
        fields = encrypted_fields(model)
        if not fields:
            continue
        label = model._meta.label_lower
        rewritten[label] += 0
        for pks in batches(model, size):
            stale = stale_rows(model, pks, current, keys)
            if stale and not dry_run:
                with transaction.atomic():
                    reencrypt(model, stale, fields)
            rewritten[label] += len(stale)
    return {"key": current, "rewritten": dict(rewritten), "values": dict(sorted(keys.items()))}


class Command(BaseCommand):
    help = (
        "用当前字段密钥（KEYPROJECTS_FIELD_KEYS 的第一个）重新加密全部加密字段，"
        "并按当前摘要密钥重算检索摘要；可重复执行。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="每批行数（默认 500）")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="只统计各密钥下的值和待重写的行，不写入",
        )

    def handle(self, *args, **options):
        dry_run = options["dry_run"]
        report = rotate(size=options["batch_size"], dry_run=dry_run)
        verb = "待重写" if dry_run else "已重写"
        self.stdout.write(f"当前字段密钥：{report['key']}")
        for label, rows in report["rewritten"].items():
            self.stdout.write(f"{label}：{verb} {rows} 行")
        self.stdout.write("重写前各字段的值按密钥计数：")
        for column_key, count in report["values"].items():
            self.stdout.write(f"  {column_key} {count}")
        if not dry_run:
            entry = event("core.fieldkeys", report["key"], "rotate_field_keys", data=report)
            entry.role = "system"
            chain.append([entry])
