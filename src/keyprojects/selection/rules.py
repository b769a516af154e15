"""Who may do what in selection: the provincial office only, for every object.

Each view gets its object first and then asks for the permission on it, so a later rule
that narrows the office's rights (e.g. per category) needs no change in the views.
"""

import rules

from keyprojects.orgs.rules import is_office

rules.add_perm("selection.view_overview", is_office)
# Also the permission of the workflow's pass_check / fail_check / return_to_authority.
rules.add_perm("selection.formal_check", is_office)
rules.add_perm("selection.run_similarity", is_office)
rules.add_perm("selection.judge_pair", is_office)
