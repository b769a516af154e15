"""Imports of earlier key projects move to the shared import flow (keyprojects.imports):
each ProjectImport becomes an ImportBatch with the same id (so TrackedProject.imported_by
keeps pointing at it), and ProjectImport stays as a proxy of ImportBatch.

Reversible: going back copies the batches of this importer into the old table first (they
stay in imports' table too; going forward again skips those already there).
"""

import datetime as dt

import django.db.models.deletion
from django.db import migrations, models

IMPORTER = "tracking.projects"
COLUMNS = ["年度", "项目名称", "申报单位", "统一社会信用代码", "工程类别", "所在设区市"]
COLUMNS += ["信息化投资（万元）"]
CONTENT = "建设内容或项目简介"


def _as_batch_rows(rows, imported):
    """The old report said what was wrong as sentences; the shared flow names the column
    and the fix too (unknown for old rows), and what became of each imported row."""
    result = []
    for row in rows:
        new = {**row, "errors": [{"column": "", "message": m, "fix": ""} for m in row["errors"]]}
        if imported and not row["errors"]:
            new["outcome"] = "created"
        result.append(new)
    return result


def forward(apps, schema_editor):
    ProjectImport = apps.get_model("tracking", "ProjectImport")
    ImportBatch = apps.get_model("imports", "ImportBatch")
    done = set(ImportBatch.objects.values_list("id", flat=True))  # kept by a way back
    for old in ProjectImport.objects.exclude(id__in=done):
        imported = old.state == "imported"
        rows = _as_batch_rows(old.rows, imported)
        content = any(CONTENT in row["values"] for row in old.rows)
        ImportBatch.objects.create(
            id=old.id,
            importer=IMPORTER,
            file_name=old.file_name,
            sha256=old.sha256,
            columns=COLUMNS + ([CONTENT] if content else []),
            rows=rows,
            state=old.state,
            uploaded_by_id=old.uploaded_by_id,
            uploaded_at=old.uploaded_at,
            expires_at=old.uploaded_at + dt.timedelta(hours=24),
            imported_at=old.imported_at,
            total_count=len(rows),
            rejected_count=sum(1 for row in rows if row["errors"]),
            created_count=old.imported_count,
            step="done" if imported else "",
        )


def backward(apps, schema_editor):
    ProjectImport = apps.get_model("tracking", "ProjectImport")
    ImportBatch = apps.get_model("imports", "ImportBatch")
    for batch in ImportBatch.objects.filter(importer=IMPORTER):
        # The batches stay (imports is not migrated back): going forward again skips them.
        ProjectImport.objects.create(
            id=batch.id,
            file_name=batch.file_name,
            sha256=batch.sha256,
            rows=[
                {
                    "number": row["number"],
                    "values": row["values"],
                    "errors": [e["message"] for e in row["errors"]],
                    "clean": row.get("clean"),
                }
                for row in batch.rows
            ],
            state="imported" if batch.state == "imported" else "previewed",
            uploaded_by_id=batch.uploaded_by_id,
            uploaded_at=batch.uploaded_at,
            imported_at=batch.imported_at,
            imported_count=batch.created_count,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("imports", "0001_initial"),
        ("tracking", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forward, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="trackedproject",
            name="imported_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="projects",
                to="imports.importbatch",
            ),
        ),
        # Going back, the old table is filled before the foreign key points at it again.
        migrations.RunPython(migrations.RunPython.noop, backward),
        migrations.DeleteModel(name="ProjectImport"),
        migrations.CreateModel(
            name="ProjectImport",
            fields=[],
            options={
                "verbose_name": "历史项目导入",
                "verbose_name_plural": "历史项目导入",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("imports.importbatch",),
        ),
        migrations.AlterField(
            model_name="trackedproject",
            name="imported_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="projects",
                to="tracking.projectimport",
            ),
        ),
    ]
