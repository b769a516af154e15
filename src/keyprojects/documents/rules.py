"""Who may see an export: only the person who asked for it (the file holds what that person
may see, and nobody else may)."""

import rules


@rules.predicate
def asked_for_it(user, export):
    return export is not None and export.requested_by_id == user.pk


rules.add_perm("documents.view_exports", rules.is_authenticated)
rules.add_perm("documents.view_export", rules.is_authenticated & asked_for_it)
