"""Holes the matrix found, marked xfail(strict=True) until the application is fixed (a fix
makes the test pass, and strict xfail then fails: remove the entry).

None open. The first run found one cause behind 137 cases: Django's PermissionsMixin.has_perm
answered True for any active superuser before asking a backend, so the administrator passed
every django-rules check (office work, an applicant's consent and reports, a reviewer's
queue, unpublished statistics). Fixed in orgs.models.User.has_perm: rules-declared
permissions are decided by the rules for everyone (SPEC §2: the administrator configures,
and takes no business decisions).
"""

# (row id, role) → reason.
HOLES: dict[tuple[str, str], str] = {}
