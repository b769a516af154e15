from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "keyprojects.orgs"
    verbose_name = _("单位与账号")

    def ready(self):
        from . import sessions  # noqa: F401 (connects the login receiver)
