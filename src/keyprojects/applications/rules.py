"""Who may do what with an application. Views check these for the very object they touch."""

import rules

from keyprojects.orgs.rules import is_applicant


@rules.predicate
def belongs_to_own_organisation(user, application):
    return application is not None and user.organisation_id == application.organisation_id


owns = is_applicant & belongs_to_own_organisation

rules.add_perm("applications.start_application", is_applicant)
rules.add_perm("applications.view_application", owns)
rules.add_perm("applications.change_application", owns)
rules.add_perm("applications.submit_application", owns)
rules.add_perm("applications.withdraw_application", owns)
