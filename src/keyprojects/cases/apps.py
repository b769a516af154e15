from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "keyprojects.cases"
    verbose_name = _("典型案例和解决方案")
