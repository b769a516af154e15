from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatsConfig(AppConfig):
    name = "keyprojects.stats"
    verbose_name = _("统计分析与资金支持")
