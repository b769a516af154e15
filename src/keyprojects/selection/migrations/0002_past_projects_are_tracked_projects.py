"""Earlier key projects live in the tracking app now (imported or selected on the platform):
the continuation check compares with tracking.TrackedProject, and the rows entered by hand in
selection.PastKeyProject move there with their ids, so the office's rulings on pairs stay."""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone


def move_to_tracking(apps, schema_editor):
    PastKeyProject = apps.get_model("selection", "PastKeyProject")
    TrackedProject = apps.get_model("tracking", "TrackedProject")
    Region = apps.get_model("orgs", "Region")
    cities = {r.name: r for r in Region.objects.filter(kind="city")}
    for past in PastKeyProject.objects.all():
        TrackedProject.objects.create(
            id=past.id,
            year=past.year,
            name=past.name,
            applicant_name=past.applicant_name,
            credit_code=past.applicant_credit_code,
            category_name=past.category_name,
            city=cities.get(past.city_name) or cities.get(f"{past.city_name}市"),
            content=past.content,
            informatisation_investment=past.informatisation_investment or 0,
            source="imported",
            created_at=timezone.now(),
        )


def move_back(apps, schema_editor):
    """Only what the pairs point at goes back; the tracking app keeps its projects."""
    SimilarPair = apps.get_model("selection", "SimilarPair")
    PastKeyProject = apps.get_model("selection", "PastKeyProject")
    TrackedProject = apps.get_model("tracking", "TrackedProject")
    ids = SimilarPair.objects.filter(past_project__isnull=False).values("past_project_id")
    for project in TrackedProject.objects.filter(id__in=ids).select_related("city"):
        PastKeyProject.objects.create(
            id=project.id,
            year=project.year,
            name=project.name,
            applicant_name=project.applicant_name,
            applicant_credit_code=project.credit_code,
            category_name=project.category_name,
            city_name=project.city.name if project.city_id else "",
            content=project.content,
            informatisation_investment=project.informatisation_investment,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("selection", "0001_initial"),
        ("tracking", "0001_initial"),
        ("orgs", "0003_password_policy"),
    ]

    operations = [
        migrations.RunPython(move_to_tracking, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="similarpair",
            name="past_project",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="pairs",
                to="tracking.trackedproject",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, move_back),
        migrations.DeleteModel(name="PastKeyProject"),
    ]
