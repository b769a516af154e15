"""Who may do what with decisions, notices and objections.

The provincial office decides, publishes, answers objections and reads their evidence. The
public sees a notice once it is published. An applicant sees the outcome of its own
application only once the list is final: until then decisions may still change (an upheld
objection can withdraw a project), and the office deliberates without pressure.
"""

import rules

from keyprojects.applications.rules import owns
from keyprojects.orgs.rules import is_office


@rules.predicate
def notice_is_public(user, notice):
    return notice is not None and notice.is_public


@rules.predicate
def outcome_is_final(user, application):
    from .queries import final_notice_for

    return application is not None and final_notice_for(application) is not None


rules.add_perm("notices.decide", is_office)
rules.add_perm("notices.manage_notice", is_office)
rules.add_perm("notices.handle_objection", is_office)
rules.add_perm("notices.view_evidence", is_office)
rules.add_perm("notices.view_public_notice", notice_is_public | is_office)
rules.add_perm("notices.view_outcome", owns & outcome_is_final)
