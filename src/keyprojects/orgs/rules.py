import rules

from .models import OFFICE_GROUP


@rules.predicate
def is_applicant(user):
    return user.is_authenticated and user.organisation_id is not None


@rules.predicate
def is_member_of(user, organisation):
    return (
        is_applicant(user) and organisation is not None and user.organisation_id == organisation.pk
    )


is_office = rules.is_group_member(OFFICE_GROUP)

rules.add_perm("orgs.view_own_organisation", is_applicant)
rules.add_perm("orgs.invite_member", is_member_of)
rules.add_perm("orgs.unlock_logins", is_office)
# Importing applicant organisations from XLSX (orgs/imports.py).
rules.add_perm("orgs.import_organisations", is_office)
