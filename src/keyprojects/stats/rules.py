"""Who may see which statistics and who marks funding priority.

The office sees the whole province; a local authority's reviewer sees the same dashboard
reduced to its own area (queries.scope_for says which applications that is). Funding
priority is the office's alone. The yearly summary is public, but only for a year whose
list of selected projects is final.
"""

import rules

from keyprojects.orgs.rules import is_office
from keyprojects.review.rules import is_reviewer


@rules.predicate
def year_has_final_list(user, year):
    from .queries import final_calls

    return year is not None and final_calls(year).exists()


@rules.predicate
def is_selected_or_marked(user, application):
    """The funding page of a selected project, or of one still marked after leaving the list."""
    from keyprojects.applications.workflow import Status

    from .models import FundingPriority

    if application is None:
        return False
    if application.status == Status.SELECTED:
        return True
    return FundingPriority.objects.filter(
        application=application, unmarked_at__isnull=True
    ).exists()


rules.add_perm("stats.view_dashboard", is_office | is_reviewer)
rules.add_perm("stats.view_funding", is_office)
rules.add_perm("stats.mark_funding", is_office & is_selected_or_marked)
rules.add_perm("stats.view_public_summary", year_has_final_list)
