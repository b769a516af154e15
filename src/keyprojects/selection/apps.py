from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelectionConfig(AppConfig):
    name = "keyprojects.selection"
    verbose_name = _("形式审查")
