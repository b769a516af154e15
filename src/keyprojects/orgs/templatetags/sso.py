from django import template

from keyprojects.orgs import sso

register = template.Library()


@register.inclusion_tag("orgs/_sso_button.html", takes_context=True)
def sso_login_button(context):
    """The single sign-on button of the login page, shown only where it is configured."""
    return {"enabled": sso.enabled(), "next": context.get("next", "")}
