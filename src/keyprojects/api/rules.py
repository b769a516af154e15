"""Who may manage API tokens: the provincial office only (a token reads non-public data,
province-wide or for one authority's area, on behalf of a system)."""

import rules

from keyprojects.orgs.rules import is_office

rules.add_perm("api.manage_tokens", is_office)
