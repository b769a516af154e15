from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "keyprojects.audit"
    verbose_name = _("事件记录")

    def ready(self):
        from . import signals  # noqa: F401 (connects the receivers)
