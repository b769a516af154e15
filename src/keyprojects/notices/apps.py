from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "keyprojects.notices"
    verbose_name = _("遴选结果与公示")
