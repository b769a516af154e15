"""Signals of the organisations app for the apps that depend on it."""

from django.dispatch import Signal

# Sent (sender=Organisation, organisations=[...]) after organisations were created in bulk
# (orgs/imports.py), where no post_save is sent: apps that act on a new organisation (its
# earlier key projects, tracking/signals.py) do it here once for all of them.
organisations_created = Signal()
