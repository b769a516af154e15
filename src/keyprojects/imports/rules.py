"""Who may touch a staged import: only the user who uploaded it. The importer's own
permission (who may import organisations, experts, …) lives in its app's rules.py and is
checked as well by every page of the flow (views.py)."""

import rules


@rules.predicate
def uploaded_by_user(user, batch):
    return batch is not None and user.is_authenticated and batch.uploaded_by_id == user.pk


rules.add_perm("imports.use_batch", uploaded_by_user)
