from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "keyprojects.tracking"
    verbose_name = _("跟踪评价")

    def ready(self):
        from . import signals  # noqa: F401  (connects the organisation matcher)
