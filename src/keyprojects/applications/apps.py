from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "keyprojects.applications"
    verbose_name = _("项目申报")
