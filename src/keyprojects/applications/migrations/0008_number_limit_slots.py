"""Existing applications that count towards the per-applicant limit get their places,
numbered per organisation and call in the order they were submitted."""

from django.db import migrations

# workflow.COUNTED as it stands at this migration.
COUNTED = [
    "submitted",
    "returned",
    "not_recommended",
    "recommended",
    "check_passed",
    "check_failed",
    "selected",
    "not_selected",
]


def number(apps, schema_editor):
    application = apps.get_model("applications", "Application")
    counted = application.objects.filter(status__in=COUNTED).order_by(
        "call_id", "organisation_id", "submitted_at", "pk"
    )
    place, last, rows = 0, None, []
    for row in counted.only("pk", "call_id", "organisation_id"):
        key = (row.call_id, row.organisation_id)
        place = place + 1 if key == last else 1
        last = key
        row.limit_slot = place
        rows.append(row)
    application.objects.bulk_update(rows, ["limit_slot"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("applications", "0007_limit_slots")]

    # Backwards nothing to do: the column goes with the previous migration.
    operations = [migrations.RunPython(number, migrations.RunPython.noop)]
