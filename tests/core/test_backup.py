"""`manage.py backup` / `restore`: a round trip, and every refusal leaves the data as it was."""

import hashlib
import io
import json
import re
import shutil
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from keyprojects.applications import domain as applications
from keyprojects.applications.models import Application
from keyprojects.audit import chain
from keyprojects.audit.domain import record
from keyprojects.audit.models import Event
from keyprojects.core.backup import migration_state
from keyprojects.orgs.models import Organisation

from ..factories import PASSWORD, make_application, make_organisation

# Restore flushes the database, which a test wrapped in one transaction could not undo.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def submitted(call, applicant):
    """A submitted application with its approval attached, and the events that made it."""
    application = applications.submit(make_application(call, applicant), by=applicant)
    record(applicant.organisation, "note", actor=applicant, reason="备份测试", data={"n": 1})
    application.refresh_from_db()
    return application


def backup(tmp_path) -> Path:
    call_command("backup", output=tmp_path / "backups")
    (archive,) = (tmp_path / "backups").glob("keyprojects-backup-*.tar.gz")
    return archive


def members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive, "r:gz") as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}


def repack(archive: Path, changes: dict) -> Path:
    """A copy of `archive` with some members' bytes changed (or added)."""
    contents = members(archive)
    for name, change in changes.items():
        contents[name] = change(contents.get(name))
    copy = archive.with_name("changed.tar.gz")
    with tarfile.open(copy, "w:gz") as tar:
        for name, data in contents.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return copy


def edit_manifest(edit):
    def change(data):
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    return change


def stored_bytes(application) -> bytes:
    return Path(application.attachments.get().file.path).read_bytes()


def test_a_round_trip_restores_rows_files_and_the_audit_chain(submitted, applicant, tmp_path):
    attachment = submitted.attachments.get()
    original = stored_bytes(submitted)
    row = Application.objects.filter(pk=submitted.pk).values().get()
    events = list(Event.objects.order_by("seq").values_list("seq", "at", "hash"))
    assert len(events) >= 3

    archive = backup(tmp_path)
    manifest = json.loads(members(archive)["manifest.json"])
    assert manifest["created_at"].endswith("+08:00")
    assert manifest["counts"]["applications.application"] == 1
    assert manifest["counts"]["audit.event"] == len(events)
    assert manifest["migrations"] == migration_state()[1]  # the code's latest, per app
    assert manifest["migrations"]["applications"]
    media_name = f"media/{attachment.file.name}"
    assert manifest["files"][media_name]["sha256"] == hashlib.sha256(original).hexdigest()
    assert "contenttypes.contenttype" not in manifest["counts"]

    call_command("flush", interactive=False)
    shutil.rmtree(settings.MEDIA_ROOT)
    assert not Application.objects.exists()

    call_command("restore", str(archive))  # an empty database needs no --yes

    assert Application.objects.filter(pk=submitted.pk).values().get() == row
    assert Application.objects.get(pk=submitted.pk).status == "submitted"
    assert stored_bytes(submitted) == original
    restored = list(Event.objects.order_by("seq").values_list("seq", "at", "hash"))
    assert restored[: len(events)] == events  # microseconds included: the hashes cover them
    assert Event.objects.order_by("seq").last().action == "restore"
    assert chain.verify() == []
    assert applicant.organisation.pk in Organisation.objects.values_list("pk", flat=True)
    assert Client().login(username=applicant.username, password=PASSWORD)


def test_a_tampered_file_is_named_and_nothing_changes(submitted, applicant, tmp_path):
    archive = backup(tmp_path)
    media_name = f"media/{submitted.attachments.get().file.name}"
    tampered = repack(archive, {media_name: lambda data: data[:-1] + bytes([data[-1] ^ 1])})
    original = stored_bytes(submitted)
    later = record(applicant.organisation, "after_backup", actor=applicant)

    with pytest.raises(CommandError, match=re.escape(media_name)) as refused:
        call_command("restore", str(tampered), yes=True)

    assert "校验和" in str(refused.value)
    assert Event.objects.filter(pk=later.pk).exists()
    assert stored_bytes(submitted) == original
    assert chain.verify() == []


def test_a_file_not_in_the_manifest_is_refused(submitted, tmp_path):
    archive = backup(tmp_path)
    smuggled = repack(archive, {"media/extra.pdf": lambda _: b"%PDF-1.4"})
    with pytest.raises(CommandError, match=re.escape("media/extra.pdf")):
        call_command("restore", str(smuggled), yes=True)
    assert not (Path(settings.MEDIA_ROOT) / "extra.pdf").exists()


def test_a_path_outside_the_archive_is_refused(db, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("media/../../escaped.txt")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    with pytest.raises(CommandError, match="不允许的路径"):
        call_command("restore", str(evil), yes=True)
    assert not list(tmp_path.rglob("escaped.txt"))


def test_a_non_empty_database_needs_yes(submitted, tmp_path):
    archive = backup(tmp_path)
    newer = make_organisation(seat="320102")

    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(archive))
    assert Organisation.objects.filter(pk=newer.pk).exists()

    call_command("restore", str(archive), yes=True)
    assert not Organisation.objects.filter(pk=newer.pk).exists()
    assert Application.objects.filter(pk=submitted.pk).exists()
    assert chain.verify() == []


def test_a_different_migration_state_is_refused_by_app(submitted, tmp_path):
    archive = backup(tmp_path)

    def older(manifest):
        manifest["migrations"]["applications"] = ["0000_older"]

    changed = repack(archive, {"manifest.json": edit_manifest(older)})
    newer = make_organisation(seat="320102")

    with pytest.raises(CommandError, match="应用 applications 的迁移状态"):
        call_command("restore", str(changed), yes=True)
    assert Organisation.objects.filter(pk=newer.pk).exists()


def test_wrong_row_counts_roll_the_whole_load_back(submitted, tmp_path):
    archive = backup(tmp_path)

    def miscount(manifest):
        manifest["counts"]["applications.application"] = 2

    changed = repack(archive, {"manifest.json": edit_manifest(miscount)})
    newer = make_organisation(seat="320102")

    with pytest.raises(CommandError, match="已全部回滚"):
        call_command("restore", str(changed), yes=True)
    assert Organisation.objects.filter(pk=newer.pk).exists()
    assert Application.objects.filter(pk=submitted.pk).exists()
    assert chain.verify() == []
