"""Backup and restore of the whole platform: the database and every stored file.

One archive (tar.gz) holds `database.jsonl` (Django's serializer, JSON Lines), the files
under MEDIA_ROOT as `media/<path>` and `manifest.json` (time, migration state, row counts,
SHA-256 of every file). The dump is Django's own format rather than pg_dump, so the same
archive restores on SQLite and PostgreSQL and the tests exercise the path administrators
run; production on PostgreSQL adds pg_dump (docs/architecture.md, "Backup and restore").

A restore checks everything it can before it changes anything: every checksum, the
migration state, an empty database or `--yes`. It then flushes and loads the dump in one
transaction, verifies the row counts inside it (a mismatch rolls the whole load back),
puts the files in place and recomputes the audit chain.
"""

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction
from django.db.migrations.loader import MigrationLoader

from keyprojects.audit import chain
from keyprojects.audit.domain import event
from keyprojects.audit.models import Event

from .clock import china_time, now

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.jsonl"
MEDIA = "media"
CHUNK = 1024 * 1024
# Rebuilt by `migrate` (content types, permissions) or worthless after a restore (sessions
# would log people in as whoever now has their user id; lockout counters are transient).
EXCLUDED = {
    "contenttypes.contenttype",
    "auth.permission",
    "sessions.session",
    "axes.accessattempt",
    "axes.accessattemptexpiration",
}
# Rows that `migrate` itself creates: they do not make a database "not empty".
CREATED_BY_MIGRATE = {"audit.chainhead"}


class BackupError(Exception):
    """A refused backup or restore; the message is for the administrator, in Chinese."""


@dataclass
class BackupReport:
    path: Path
    rows: int
    files: int
    size: int


@dataclass
class RestoreReport:
    created_at: str
    rows: int
    files: int
    events: int
    chain_problems: list[str] = field(default_factory=list)
    strays: list[str] = field(default_factory=list)


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder cuts times to milliseconds; the audit chain hashes microseconds."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class _HashingReader:
    """A file wrapper that hashes and counts what is read through it."""

    def __init__(self, raw):
        self.raw, self.sha256, self.size = raw, hashlib.sha256(), 0

    def read(self, n=-1):
        data = self.raw.read(n)
        self.sha256.update(data)
        self.size += len(data)
        return data


# --- What is dumped and in which state ------------------------------------------------


def dumped_models(using=DEFAULT_DB_ALIAS) -> list:
    """Concrete models in dependency order (natural-key targets first), minus EXCLUDED."""
    app_list = [(cfg, None) for cfg in apps.get_app_configs() if cfg.models_module is not None]
    return [
        model
        for model in serializers.sort_dependencies(app_list, allow_cycles=True)
        if not model._meta.proxy
        and model._meta.managed
        and model._meta.label_lower not in EXCLUDED
        and router.allow_migrate_model(using, model)
    ]


def row_counts(using=DEFAULT_DB_ALIAS) -> dict[str, int]:
    return {
        model._meta.label_lower: model._base_manager.using(using).count()
        for model in dumped_models(using)
    }


def _latest(graph, nodes) -> dict[str, list[str]]:
    """Per app, the migrations in `nodes` that no other node of the same app follows."""
    latest: dict[str, list[str]] = {}
    for app, name in nodes:
        children = graph.node_map[(app, name)].children
        if not any(child in nodes and child[0] == app for child in children):
            latest.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(latest.items())}


def migration_state(using=DEFAULT_DB_ALIAS) -> tuple[dict, dict]:
    """(latest migrations applied in the database, latest migrations in the code), per app."""
    loader = MigrationLoader(connections[using])
    graph = loader.graph
    code = set(graph.nodes)
    return _latest(graph, code & set(loader.applied_migrations)), _latest(graph, code)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


# --- Backup -----------------------------------------------------------------------------


def _write_dump(path: Path, using) -> dict[str, int]:
    """Serialise every dumped model into `path` in one snapshot; the rows written per model."""
    counts: dict[str, int] = {}

    def rows():
        for model in dumped_models(using):
            label = model._meta.label_lower
            counts[label] = 0
            queryset = model._base_manager.using(using).order_by(model._meta.pk.name)
            for obj in queryset.iterator(chunk_size=2000):
                counts[label] += 1
                yield obj

    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using), open(path, "w", encoding="utf-8") as stream:
        if outermost and connection.vendor == "postgresql":
            # One snapshot for all tables, without blocking writers. (SQLite opens every
            # transaction IMMEDIATE here, so writers wait for the few seconds of the dump.)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        serializers.serialize(
            "jsonl",
            rows(),
            stream=stream,
            use_natural_foreign_keys=True,
            cls=_ExactEncoder,
        )
    return counts


def _add_file(tar: tarfile.TarFile, arcname: str, path: Path) -> dict:
    """Stream `path` into the archive, hashing on the way (never whole in memory)."""
    with open(path, "rb") as raw:
        stat = os.fstat(raw.fileno())
        info = tarfile.TarInfo(arcname)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o640
        reader = _HashingReader(raw)
        tar.addfile(info, reader)
    return {"sha256": reader.sha256.hexdigest(), "size": reader.size}


def media_files(root: Path) -> list[Path]:
    """Regular files under `root` (symbolic links are not followed), sorted."""
    if not root.is_dir():
        return []
    found = []
    for folder, _dirs, names in os.walk(root):
        found += [Path(folder) / n for n in names if (Path(folder) / n).is_file()]
    return sorted(p for p in found if not p.is_symlink())


def create_backup(output_dir: Path, using=DEFAULT_DB_ALIAS) -> BackupReport:
    created = china_time(now())
    output_dir.mkdir(parents=True, exist_ok=True)
    target = output_dir / f"keyprojects-backup-{created:%Y%m%d-%H%M%S}.tar.gz"
    if target.exists():
        raise BackupError(f"备份文件 {target} 已存在，请稍后再试。")
    if not isinstance(default_storage, FileSystemStorage):
        # Files in object storage are backed up by the bucket (versioning and replication),
        # the database by pg_dump: an archive here would silently miss every file.
        raise BackupError(
            "文件保存在对象存储中，本命令不能备份：请按 docs/deployment.md 使用存储桶的"
            "版本控制与复制备份文件，用 pg_dump 备份数据库。"
        )
    media_root = Path(settings.MEDIA_ROOT)
    applied, _code = migration_state(using)
    with tempfile.TemporaryDirectory(dir=output_dir, prefix=".backup-") as work:
        dump = Path(work) / DUMP
        counts = _write_dump(dump, using)
        partial = Path(work) / target.name
        files = {}
        with tarfile.open(partial, "w:gz") as tar:
            files[DUMP] = _add_file(tar, DUMP, dump)
            # After the dump: files are never changed in place, so every file a row names
            # is already there; one uploaded meanwhile is merely extra.
            for path in media_files(media_root):
                name = f"{MEDIA}/{path.relative_to(media_root).as_posix()}"
                files[name] = _add_file(tar, name, path)
            manifest = {
                "format": FORMAT,
                "created_at": created.isoformat(timespec="seconds"),
                "database": {"vendor": connections[using].vendor, "dump": DUMP},
                "migrations": applied,
                "counts": counts,
                "files": files,
            }
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(data), int(created.timestamp()), 0o640
            tar.addfile(info, io.BytesIO(data))
        os.replace(partial, target)
    _record("backup", target, {"rows": sum(counts.values()), "files": len(files) - 1})
    return BackupReport(target, sum(counts.values()), len(files) - 1, target.stat().st_size)


def _record(action: str, archive: Path, data: dict) -> None:
    """A backup or restore is itself an audit event (a full export / replacement of data)."""
    entry = event("core.backup", archive.name, action, data=data)
    entry.role = "system"
    chain.append([entry])


# --- Restore: read and verify ---------------------------------------------------------


def _member_path(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    parts = path.parts
    allowed = name in (MANIFEST, DUMP) or (len(parts) > 1 and parts[0] == MEDIA)
    if path.is_absolute() or ".." in parts or str(path) != name or not allowed:
        raise BackupError(f"归档中含有不允许的路径 {name!r}，拒绝恢复。")
    return path


def _unpack(archive: Path, staging: Path) -> dict[str, dict]:
    """Stream every member into `staging`; the SHA-256 and size of what was read."""
    found: dict[str, dict] = {}
    try:
        with tarfile.open(archive, "r|gz") as tar:
            for member in tar:
                path = _member_path(member.name)
                if not member.isfile():
                    raise BackupError(f"归档中的 {member.name} 不是普通文件，拒绝恢复。")
                if member.name in found:
                    raise BackupError(f"归档中的 {member.name} 出现了两次，拒绝恢复。")
                dest = staging / path
                dest.parent.mkdir(parents=True, exist_ok=True)
                reader = _HashingReader(tar.extractfile(member))
                with open(dest, "wb") as out:
                    while block := reader.read(CHUNK):
                        out.write(block)
                found[member.name] = {"sha256": reader.sha256.hexdigest(), "size": reader.size}
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(
            f"备份归档 {archive.name} 无法读取（已损坏或不是备份文件）：{exc}"
        ) from exc
    return found


def _read_manifest(staging: Path, found: dict) -> dict:
    if MANIFEST not in found:
        raise BackupError("归档中没有 manifest.json，不是本平台的备份，拒绝恢复。")
    try:
        manifest = json.loads((staging / MANIFEST).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"manifest.json 无法解析：{exc}") from exc
    keys = {"format", "created_at", "migrations", "counts", "files"}
    if not isinstance(manifest, dict) or not keys <= manifest.keys():
        raise BackupError("manifest.json 缺少必要的内容，拒绝恢复。")
    if manifest["format"] != FORMAT:
        raise BackupError(f"备份格式 {manifest['format']} 不受支持（本版本为 {FORMAT}）。")
    return manifest


def verify_files(manifest: dict, found: dict) -> None:
    """Every file the manifest lists is present with its checksum, and nothing else is."""
    listed = manifest["files"]
    if DUMP not in listed:
        raise BackupError("清单中没有数据库导出文件，拒绝恢复。")
    for name, expected in listed.items():
        actual = found.get(name)
        if actual is None:
            raise BackupError(f"归档中缺少清单所列的文件 {name}，拒绝恢复。")
        if actual["sha256"] != expected.get("sha256") or actual["size"] != expected.get("size"):
            raise BackupError(
                f"文件 {name} 的 SHA-256 校验和与清单不符（已损坏或被改动），拒绝恢复。"
            )
    extra = sorted(set(found) - set(listed) - {MANIFEST})
    if extra:
        raise BackupError(f"归档中的文件 {extra[0]} 未列在清单中，拒绝恢复。")


def verify_migrations(manifest: dict, using=DEFAULT_DB_ALIAS) -> None:
    """The backup's schema is the code's, and the database has been migrated to it."""
    applied, code = migration_state(using)
    saved = manifest["migrations"]
    for app in sorted(set(saved) | set(code)):
        if saved.get(app) != code.get(app):
            raise BackupError(
                f"应用 {app} 的迁移状态与当前代码不符：备份时为 {saved.get(app) or '无'}，"
                f"当前代码为 {code.get(app) or '无'}。请用备份时的代码版本恢复，再升级迁移。"
            )
    for app in sorted(code):
        if applied.get(app) != code[app]:
            raise BackupError(
                f"当前数据库的应用 {app} 尚未迁移到当前代码，请先运行 manage.py migrate。"
            )


def existing_rows(using=DEFAULT_DB_ALIAS) -> int:
    return sum(n for label, n in row_counts(using).items() if label not in CREATED_BY_MIGRATE)


# --- Restore: apply -------------------------------------------------------------------


def _load(staging: Path, manifest: dict, using) -> int:
    """Flush and load in one transaction; counts are checked before it commits."""
    with transaction.atomic(using=using):
        call_command("flush", database=using, interactive=False, verbosity=0)
        call_command("loaddata", str(staging / DUMP), database=using, verbosity=0)
        counts = row_counts(using)
        for label in sorted(set(counts) | set(manifest["counts"])):
            expected, actual = manifest["counts"].get(label), counts.get(label)
            if expected != actual:
                raise BackupError(
                    f"恢复后 {label} 有 {actual} 条记录，清单记载 {expected} 条；已全部回滚。"
                )
    return sum(counts.values())


def _place(src: Path, dest: Path) -> None:
    """Move a verified file into MEDIA_ROOT; replace() is atomic on one file system."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(src, dest)
    except OSError:  # another file system: copy beside the target, then swap
        partial = dest.with_name(dest.name + ".restoring")
        with open(src, "rb") as f, open(partial, "wb") as out:
            shutil.copyfileobj(f, out, CHUNK)
        os.replace(partial, dest)
    os.chmod(dest, settings.FILE_UPLOAD_PERMISSIONS or 0o640)


def _restore_media(staging: Path, manifest: dict) -> tuple[int, list[str]]:
    """Put the archive's files in place; files it does not list are reported, not deleted."""
    media_root = Path(settings.MEDIA_ROOT)
    names = [n for n in manifest["files"] if n.startswith(f"{MEDIA}/")]
    for name in names:
        _place(staging / name, media_root / PurePosixPath(name).relative_to(MEDIA))
    listed = {PurePosixPath(n).relative_to(MEDIA).as_posix() for n in names}
    strays = [
        rel
        for rel in (p.relative_to(media_root).as_posix() for p in media_files(media_root))
        if rel not in listed
    ]
    return len(names), strays


def restore_backup(archive: Path, *, confirmed: bool, using=DEFAULT_DB_ALIAS) -> RestoreReport:
    if not archive.is_file():
        raise BackupError(f"找不到备份文件 {archive}。")
    scratch = Path(settings.VAR_DIR)
    scratch.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=scratch, prefix=".restore-") as work:
        staging = Path(work)
        found = _unpack(archive, staging)
        manifest = _read_manifest(staging, found)
        verify_files(manifest, found)
        verify_migrations(manifest, using)
        rows = existing_rows(using)
        if rows and not confirmed:
            raise BackupError(
                f"数据库不是空的（现有 {rows} 条记录）。恢复会先清空全部数据再载入备份；"
                "确认要覆盖时，请加 --yes 重新运行。"
            )
        total = _load(staging, manifest, using)
        files, strays = _restore_media(staging, manifest)
    problems = chain.verify()
    _record("restore", archive, {"created_at": manifest["created_at"], "rows": total})
    return RestoreReport(
        created_at=manifest["created_at"],
        rows=total,
        files=files,
        events=Event.objects.using(using).count(),
        chain_problems=problems,
        strays=strays,
    )
