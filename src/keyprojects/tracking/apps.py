from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrackingConfig(AppConfig):
    name = "keyprojects.tracking"
    verbose_name = _("跟踪评价")
