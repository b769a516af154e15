from django import forms, template
from django.utils.translation import gettext as _

from keyprojects.calls.domain import format_deadline
from keyprojects.core.widgets import render_widget

register = template.Library()


@register.filter
def bs(bound_field):
    """Render a form field's widget with the Bootstrap class that fits it."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        css = ""
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if bound_field.errors:
        css += " is-invalid"
    return render_widget(bound_field, css)


@register.filter
def is_checkbox(bound_field):
    return isinstance(bound_field.field.widget, forms.CheckboxInput)


@register.filter
def duration_zh(delta):
    """A time left as "3天 4小时 5分钟"."""
    if delta is None:
        return ""
    total = int(delta.total_seconds())
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return _("%(days)d天 %(hours)d小时") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d小时 %(minutes)d分钟") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d分钟") % {"minutes": minutes}


@register.filter
def deadline(instant):
    """A deadline the way the notice writes it: midnight reads as 24:00 of the day before."""
    return format_deadline(instant) if instant else ""
