"""The applicant's view of a decision, for its own application page (once the list is final)."""

from django import template

from ..queries import final_notice_for

register = template.Library()


@register.inclusion_tag("notices/_outcome.html", takes_context=True)
def application_outcome(context, application):
    """The final outcome of `application`, shown only to its own organisation, only after
    the office has finalised the list (see rules.py)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("notices.view_outcome", application):
        return {"notice": None}
    decision = getattr(application, "notice_decision", None)
    return {
        "application": application,
        "notice": final_notice_for(application),
        "tier": decision.tier if decision else None,
        "reason": decision.reason if decision else "",
    }
