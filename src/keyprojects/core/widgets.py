"""Form widgets rendered faster than Django renders them, with the same HTML.

Django renders each widget through templates (a select also renders each of its options
through one): 0.5–2 ms a widget, 10–20 ms on a list page with long choices of regions and
authorities or on the application form. The common widgets are written here from the
context Django's own `get_context` gives, so values and attributes are exactly Django's;
anything else is left to Django.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

INPUTS = (
    forms.TextInput,
    forms.EmailInput,
    forms.NumberInput,
    forms.URLInput,
    forms.SearchInput,
    forms.TelInput,
    forms.HiddenInput,
)


def render_widget(bound_field, css: str):
    """`bound_field`'s widget with the CSS class `css` (none when empty)."""
    widget = bound_field.field.widget
    attrs = {"class": css} if css else {}
    kind = type(widget)
    if kind not in INPUTS and kind not in (forms.Select, forms.Textarea):
        return bound_field.as_widget(attrs=attrs)
    attrs = bound_field.build_widget_attrs(attrs, widget)
    if bound_field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", bound_field.auto_id)
    if kind is forms.Select:  # not its get_context: that walks the choices (a query) too
        html = _select(bound_field, widget, attrs)
        return bound_field.as_widget(attrs=attrs) if html is None else html
    context = widget.get_context(bound_field.html_name, bound_field.value(), attrs)["widget"]
    if kind is forms.Textarea:
        return format_html(
            '<textarea name="{}"{}>\n{}</textarea>',
            context["name"],
            flatatt(context["attrs"]),
            context["value"] or "",
        )
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        context["type"],
        context["name"],
        "" if context["value"] is None else format_html(' value="{}"', context["value"]),
        flatatt(context["attrs"]),
    )


def _select(bound_field, widget, attrs):
    """None for grouped choices, which Django renders."""
    chosen = widget.format_value(bound_field.value())
    options, selected = [], False
    for value, label in widget.choices:
        if isinstance(label, (list, tuple)):
            return None
        value = "" if value is None else str(value)
        picked = not selected and value in chosen  # Django marks the first match only
        selected = selected or picked
        options.append(
            format_html(
                '<option value="{}"{}>{}</option>', value, " selected" if picked else "", label
            )
        )
    return format_html(
        '<select name="{}"{}>{}</select>',
        bound_field.html_name,
        flatatt(widget.build_attrs(widget.attrs, attrs)),
        mark_safe("".join(options)),
    )
