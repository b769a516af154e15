"""Who may see and decide what in local review.

A reviewer belongs to one authority: it acts on the applications routed to it and reads
the copies (抄报) routed to a county under its city; nothing else exists for it.
"""

import rules

from keyprojects.orgs.rules import is_office


@rules.predicate
def is_reviewer(user):
    return user.is_authenticated and user.is_active and user.authority_id is not None


@rules.predicate
def routed_to_users_authority(user, application):
    return application is not None and application.authority_id == user.authority_id


@rules.predicate
def copied_to_users_authority(user, application):
    return application is not None and application.copy_authority_id == user.authority_id


rules.add_perm("review.view_queue", is_reviewer)
rules.add_perm(
    "review.view_application",
    is_reviewer & (routed_to_users_authority | copied_to_users_authority),
)
rules.add_perm("review.decide", is_reviewer & routed_to_users_authority)


@rules.predicate
def batch_of_users_authority(user, batch):
    return batch is not None and batch.authority_id == user.authority_id


@rules.predicate
def batch_copied_to_users_authority(user, batch):
    """A county's material is copied (抄报) to its prefecture city."""
    authority = batch.authority if batch is not None else None
    return (
        authority is not None
        and authority.kind == authority.Kind.COUNTY
        and user.authority is not None
        and authority.region.parent_id == user.authority.region_id
    )


rules.add_perm(
    "review.view_batch",
    (is_reviewer & (batch_of_users_authority | batch_copied_to_users_authority)) | is_office,
)
rules.add_perm("review.manage_batch", is_reviewer & batch_of_users_authority)
rules.add_perm("review.reopen_batch", is_office)
rules.add_perm("review.import_reviewers", is_office)
