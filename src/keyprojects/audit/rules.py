"""Who may read the audit trail: the provincial office only (等保2.0 安全审计)."""

import rules

from keyprojects.orgs.rules import is_office

rules.add_perm("audit.view_events", is_office)
