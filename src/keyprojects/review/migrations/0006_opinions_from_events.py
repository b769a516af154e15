"""Each application's current opinion, taken from the audit trail: the latest recommend,
not_recommend or return event of the authority it is routed to."""

from django.db import migrations

DECISIONS = ["recommend", "not_recommend", "return"]


def collect(apps, schema_editor):
    application = apps.get_model("applications", "Application")
    event = apps.get_model("audit", "Event")
    opinion = apps.get_model("review", "Opinion")
    routed = dict(
        application.objects.filter(authority__isnull=False).values_list("pk", "authority_id")
    )
    latest = {}
    events = event.objects.filter(
        target_type="applications.application", action__in=DECISIONS
    ).order_by("at", "seq")
    for row in events.iterator(chunk_size=2000):
        latest[row.target_id] = row  # later ones win
    rows = []
    for pk, authority_id in routed.items():
        decided = latest.get(str(pk))
        if decided is None:
            continue
        reason = decided.reason or ("—" if decided.action != "recommend" else "")
        rows.append(
            opinion(
                application_id=pk,
                authority_id=authority_id,
                decision=decided.action,
                reason=reason,
                decided_by_id=decided.actor_id,
                decided_at=decided.at,
            )
        )
    opinion.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("review", "0005_opinion"), ("audit", "0003_chain")]

    # Backwards nothing to do: the table goes with the previous migration.
    operations = [migrations.RunPython(collect, migrations.RunPython.noop)]
