from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "keyprojects.calls"
    verbose_name = _("年度批次")
