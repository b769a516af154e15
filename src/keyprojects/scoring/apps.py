"""Expert scoring (专家打分): review rounds, scores against the call's rubric, progress and
reminders, the defence panel (答辩评审) and the combined meeting (综合会审), and the
aggregation of scores into a ranking per category (aggregation.py)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "keyprojects.scoring"
    verbose_name = _("专家打分")
