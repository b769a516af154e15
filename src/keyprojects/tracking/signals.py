"""An organisation that registers (or whose credit code is corrected) after its earlier key
projects were imported becomes their owner at once, so its users see their reports."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from keyprojects.orgs.models import Organisation
from keyprojects.orgs.signals import organisations_created

from . import domain
from .models import TrackedProject


@receiver(post_save, sender=Organisation, dispatch_uid="tracking-match-organisation")
def match_registered_organisation(sender, instance, raw=False, **kwargs):
    if raw:  # loading fixtures or a backup: the rows already say who owns what
        return
    TrackedProject.objects.filter(
        organisation__isnull=True, credit_code=instance.credit_code
    ).update(organisation=instance)


@receiver(organisations_created, dispatch_uid="tracking-match-imported-organisations")
def match_imported_organisations(sender, organisations, **kwargs):
    """Organisations the office imported: one update for all of them."""
    domain.match_organisations()
