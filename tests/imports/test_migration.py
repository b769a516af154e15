"""Migration tracking 0002 moves the earlier imports of key projects into the shared flow's
table with their ids, so the projects they brought in still point at them; and back."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from keyprojects.tracking import imports
from keyprojects.tracking.models import ProjectImport, TrackedProject

from ..factories import credit_code, make_office
from ..tracking.conftest import row, xlsx_upload

BEFORE = [("tracking", "0001_initial")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_earlier_imports_move_to_the_shared_flow_and_back(regions):
    office = make_office()
    imported = imports.preview(
        xlsx_upload([row("项目甲", credit_code()), row("太新的项目", credit_code(), year=2021)]),
        by=office,
    )
    imports.confirm(imported, by=office)
    waiting = imports.preview(xlsx_upload([row("项目乙", credit_code())]), by=office)
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = migrate(BEFORE).loader.project_state(BEFORE).apps
        OldImport = old.get_model("tracking", "ProjectImport")
        back = OldImport.objects.get(pk=imported.pk)
        assert (back.state, back.imported_count) == ("imported", 1)
        assert back.rows[1]["errors"] == [
            "年度 2021 晚于 2019 年：2020 年起的重点工程由平台遴选，无须导入"
        ]
        assert OldImport.objects.get(pk=waiting.pk).state == "previewed"
        with connection.cursor() as cursor:  # as before the shared flow existed
            cursor.execute("DELETE FROM imports_importbatch")
        project = old.get_model("tracking", "TrackedProject").objects.get()
        assert project.imported_by_id == imported.pk

        migrate(latest)

        moved = ProjectImport.objects.get(pk=imported.pk)
        assert (moved.importer, moved.state, moved.created_count) == (
            "tracking.projects",
            "imported",
            1,
        )
        assert moved.rows[0]["outcome"] == "created"
        assert moved.rows[1]["errors"][0]["message"].startswith("年度 2021 晚于 2019 年")
        assert TrackedProject.objects.get().imported_by == moved
        assert ProjectImport.objects.get(pk=waiting.pk).state == "previewed"

        migrate(BEFORE)
        migrate(latest)  # back and forth with the batches kept: none copied twice
        assert ProjectImport.objects.count() == 2
    finally:
        migrate(latest)
