import rules

from keyprojects.orgs.rules import is_office

rules.add_perm("notices.decide", is_office)
