import rules

from keyprojects.orgs.rules import is_office

rules.add_perm("selection.formal_check", is_office)
