"""Who may do what with typical cases.

The provincial office writes, reviews and publishes cases; the member who submitted a case
for review may not also approve it (four eyes: the maker is not the checker). The public
reads published cases and their pictures. The applicant organisation reads every case
written about its own projects and gives or refuses its consent to publication.
"""

import rules

from keyprojects.orgs.rules import is_applicant, is_office


@rules.predicate
def is_published(user, case):
    return case is not None and case.state == case.State.PUBLISHED


@rules.predicate
def about_own_project(user, case):
    return (
        case is not None
        and is_applicant(user)
        and case.organisation_id == user.organisation_id
        and case.state != case.State.DISCARDED
    )


@rules.predicate
def not_the_submitter(user, case):
    return case is not None and case.submitted_by_id != user.pk


rules.add_perm("cases.manage_case", is_office)
rules.add_perm("cases.approve_case", is_office & not_the_submitter)
# The public case page; the office also previews cases not (or no longer) published.
rules.add_perm("cases.view_case", is_published | is_office)
rules.add_perm("cases.view_image", is_published | is_office | about_own_project)
rules.add_perm("cases.view_consent_list", is_applicant)
rules.add_perm("cases.give_consent", about_own_project)
