"""Existing assignments get their places on their application, in the order made."""

from django.db import migrations


def number(apps, schema_editor):
    assignment = apps.get_model("experts", "Assignment")
    place, last, rows = 0, None, []
    ordered = assignment.objects.order_by("application_id", "assigned_at", "pk")
    for row in ordered.only("pk", "application_id"):
        place = place + 1 if row.application_id == last else 1
        last = row.application_id
        row.slot = place
        rows.append(row)
    assignment.objects.bulk_update(rows, ["slot"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("experts", "0005_assignment_slots")]

    # Backwards nothing to do: the column goes with the previous migration.
    operations = [migrations.RunPython(number, migrations.RunPython.noop)]
