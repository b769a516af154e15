"""Column headers that sort a list (core/lists.py): a link that keeps the filters."""

from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from keyprojects.core.widgets import render_widget

register = template.Library()


@register.simple_tag
def sort_header(query, key, label, css=""):
    """A <th> whose link sorts by `key` (ascending, then descending on a second click)."""
    current = query.sort_key == key
    if current:
        direction = "descending" if query.descending else "ascending"
        arrow = " ▼" if query.descending else " ▲"
        hint = _("当前按此列降序排列") if query.descending else _("当前按此列升序排列")
    else:
        direction, arrow, hint = "none", "", _("点击按此列排序")
    return format_html(
        '<th scope="col" class="{}" aria-sort="{}"><a class="sort-link text-reset" href="?{}" '
        'title="{}" data-sort="{}">{}{}</a></th>',
        css,
        direction,
        query.sort_querystring(key),
        hint,
        key,
        label,
        arrow,
    )


@register.simple_tag
def keep_params(query, *names):
    """Hidden inputs that carry parameters a filter form does not show (the sort, the call),
    so that filtering keeps them. Each name may list several, comma-separated."""
    shown = {name.strip() for names_ in names for name in (names_ or "").split(",")}
    return format_html_join(
        "",
        '<input type="hidden" name="{}" value="{}">',
        ((name, value) for name, value in query.params() if name in shown),
    )


@register.filter
def filter_widget(bound_field):
    """A filter's widget, small, with the Bootstrap class that fits it."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select form-select-sm"
    else:
        css = "form-control form-control-sm"
    if bound_field.errors:
        css += " is-invalid"
    return render_widget(bound_field, css)
