"""Who may do what in tracking evaluation.

The office runs everything; an owner (a user of the organisation matched to the tracked
project) files its reports; the local authority a report was routed to on submit reads it
and comments. Nobody else sees a report at all (views answer 404).
"""

import rules

from keyprojects.orgs.rules import is_applicant, is_office


@rules.predicate
def owns_report(user, report):
    return (
        report is not None
        and is_applicant(user)
        and report.project.organisation_id is not None
        and report.project.organisation_id == user.organisation_id
    )


@rules.predicate
def is_reviewer(user):
    return user.is_authenticated and user.is_active and user.authority_id is not None


@rules.predicate
def routed_to_users_authority(user, report):
    return (
        report is not None
        and report.authority_id is not None
        and report.authority_id == user.authority_id
        # Returned to the owner, it is not the authority's to read until sent again.
        and report.state in {"submitted", "evaluated"}
    )


@rules.predicate
def report_is_editable(user, report):
    return report is not None and report.is_editable_state and report.round.is_open


@rules.predicate
def report_awaits_comment(user, report):
    return report is not None and report.state == "submitted" and report.round.is_open


rules.add_perm("tracking.manage", is_office)
rules.add_perm("tracking.view_own_reports", is_applicant)
rules.add_perm("tracking.view_area_reports", is_reviewer)
rules.add_perm(
    "tracking.view_report",
    is_office | owns_report | (is_reviewer & routed_to_users_authority),
)
# The workflow checks state and round itself, to say why a transition is refused.
rules.add_perm("tracking.file_report", owns_report)
rules.add_perm("tracking.edit_report", owns_report & report_is_editable)
rules.add_perm(
    "tracking.comment_report", is_reviewer & routed_to_users_authority & report_awaits_comment
)
rules.add_perm("tracking.evaluate_report", is_office)
