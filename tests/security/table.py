"""The authorisation matrix: every named URL of the site, how to fill its arguments from the
world, the methods to try and the roles that may use it. Written out by hand from the
specification (§2) and the apps' rules, not derived from the code under test.

A refused signed-in role gets 404 (core.access.require: what you may not touch does not
exist); a refused anonymous visitor the login page; an expert whose session has not proved
its second factor is sent to verify it, whatever the page (experts/middleware.py).
"""

import dataclasses
from collections.abc import Callable

# --- Roles ---------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
OWNER = "owner"  # applicant of organisation A (沛县), which owns the applications
APPLICANT_B = "applicant_b"  # applicant of another organisation (苏州)
ROUTED = "reviewer_routed"  # 沛县's authority: A's applications are routed to it
COPIED = "reviewer_copied"  # 徐州市: gets the copy (抄报) of its county's applications
FOREIGN = "reviewer_foreign"  # 南京市: nothing to do with A
DEPARTMENT = "department"  # 省交通运输厅: a provincial department, foreign to A
OFFICE = "office"  # the provincial office (省信息化办)
EXPERT = "expert_assigned"  # assigned to A's recommended application
OTHER_EXPERT = "expert_unassigned"
UNVERIFIED = "expert_unverified"  # an expert whose session has not proved its second factor
ADMIN = "admin"  # superuser: configuration and users, no business decisions (SPEC §2)

ROLES = [
    ANONYMOUS,
    OWNER,
    APPLICANT_B,
    ROUTED,
    COPIED,
    FOREIGN,
    DEPARTMENT,
    OFFICE,
    EXPERT,
    OTHER_EXPERT,
    UNVERIFIED,
    ADMIN,
]
PUBLIC = frozenset(ROLES) - {UNVERIFIED}
SIGNED_IN = PUBLIC - {ANONYMOUS}
NOBODY = frozenset()
APPLICANTS = frozenset({OWNER, APPLICANT_B})
REVIEWERS = frozenset({ROUTED, COPIED, FOREIGN, DEPARTMENT})
EXPERTS = frozenset({EXPERT, OTHER_EXPERT})
ONLY_OFFICE = frozenset({OFFICE})
ONLY_OWNER = frozenset({OWNER})

# What a request gets.
LOGIN, NOT_FOUND, FORBIDDEN, SECOND_FACTOR = "login", 404, 403, "second factor"

GET, POST, BOTH = ("GET",), ("POST",), ("GET", "POST")


@dataclasses.dataclass(frozen=True)
class Row:
    name: str  # the URL's name, with its namespace
    allowed: frozenset
    methods: tuple = GET
    kwargs: Callable = lambda w: {}
    variant: str = ""  # when one URL is tried on objects in different states
    query: Callable = lambda w: ""
    anonymous: object = LOGIN  # what a refused anonymous visitor gets
    refused: object = NOT_FOUND  # what a refused signed-in role gets
    ok: frozenset = frozenset()  # statuses an allowed role may get besides the usual ones
    environ: dict = dataclasses.field(default_factory=dict)
    data: Callable = lambda w: {}  # a POST's body: empty unless an empty one is a 404 for all

    @property
    def id(self):
        return f"{self.name}[{self.variant}]" if self.variant else self.name


def _call(w):
    return {"slug": w.live.slug}


def _done_call(w):
    return {"slug": w.done.slug}


def _pk(attribute):
    return lambda w: {"pk": getattr(w, attribute).pk}


def _attachment(attribute):
    def kwargs(w):
        application = getattr(w, attribute)
        return {"pk": application.pk, "attachment_pk": w.approval(application)}

    return kwargs


def _assignment(w):
    return {"pk": w.expert.assignments.get(application=w.recommended).pk}


def _task(w):
    return {"round_pk": w.online.pk, "pk": w.recommended.pk}


def _task_attachment(w):
    return {**_task(w), "attachment_pk": w.approval(w.recommended)}


def office_rows(app, specs):
    """Rows of pages for the office alone: (name, methods, kwargs)."""
    return [Row(f"{app}:{name}", ONLY_OFFICE, methods, kwargs) for name, methods, kwargs in specs]


def _staged(app):
    return lambda w: {"pk": w.staged[app].pk}


def import_rows(app, name, batch):
    """The pages of an importer besides its upload page (imports/routes.py), for the office
    alone, on a batch the office uploaded (anyone else's batch is not found either)."""
    return office_rows(
        app,
        [
            (f"{name}_template", GET, lambda w: {}),
            (f"{name}_report", GET, batch),
            (f"{name}_confirm", POST, batch),
            (f"{name}_progress", GET, batch),
            (f"{name}_errors", GET, batch),
        ],
    )


ROWS = [
    # --- the public site and calls -------------------------------------------------------
    Row("home", PUBLIC),
    Row("calls:detail", PUBLIC, kwargs=_call),
    Row("calls:notice_pdf", PUBLIC, kwargs=_call),
    Row("calls:instructions_pdf", PUBLIC, kwargs=_call),
    Row("calls:form_template_pdf", PUBLIC, kwargs=_call),
    Row("calls:material", PUBLIC, kwargs=lambda w: {"slug": w.live.slug, "pk": w.material.pk}),
    Row("healthz", PUBLIC, ok=frozenset({503})),  # 503 here: no task worker beats in tests
    # Loopback is the monitoring network by default; anyone else is told nothing.
    Row("metrics", PUBLIC),
    # The interface language: anyone may choose it (a cookie and a redirect, nothing stored).
    Row("set_language", PUBLIC, BOTH),
    Row(
        "metrics",
        NOBODY,
        variant="outside the monitoring network",
        anonymous=NOT_FOUND,
        environ={"REMOTE_ADDR": "203.0.113.5"},
    ),
    # --- applicants ----------------------------------------------------------------------
    Row("applications:home", APPLICANTS),
    Row("applications:start", APPLICANTS, POST, _call),
    Row("applications:detail", ONLY_OWNER, kwargs=_pk("draft")),
    Row("applications:edit", ONLY_OWNER, BOTH, _pk("draft")),
    Row("applications:autosave", ONLY_OWNER, POST, _pk("draft")),
    Row("applications:submit", ONLY_OWNER, POST, _pk("draft")),
    Row("applications:withdraw", ONLY_OWNER, POST, _pk("submitted")),
    Row("applications:pdf", ONLY_OWNER, kwargs=_pk("submitted")),
    Row("applications:upload_attachment", ONLY_OWNER, POST, _pk("draft")),
    Row("applications:attachment", ONLY_OWNER, kwargs=_attachment("draft")),
    Row("applications:delete_attachment", ONLY_OWNER, POST, _attachment("draft")),
    # --- local review (A's submitted application: routed to 沛县, copied to 徐州市) --------
    Row("review:queue", REVIEWERS),
    Row("review:application", {ROUTED, COPIED}, kwargs=_pk("submitted")),
    Row("review:decide", {ROUTED}, POST, _pk("submitted")),
    Row("review:attachment", {ROUTED, COPIED}, kwargs=_attachment("submitted")),
    # Each reviewer acts on its own authority's batch of the call.
    Row("review:batch_recommend", REVIEWERS, POST, _call),
    Row("review:batch", REVIEWERS, kwargs=_call),
    Row("review:generate_table", REVIEWERS, POST, _call),
    Row("review:upload_scan", REVIEWERS, POST, _call),
    Row("review:submit_batch", REVIEWERS, POST, _call),
    Row("review:reopen_batch", ONLY_OFFICE, POST, _pk("batch")),
    # 沛县's summary table and scan: 沛县, the city it is copied to, the office.
    Row("review:table", {ROUTED, COPIED, OFFICE}, kwargs=_pk("table")),
    Row("review:table_progress", {ROUTED, COPIED, OFFICE}, kwargs=_pk("table")),
    Row("review:table_xlsx", {ROUTED, COPIED, OFFICE}, kwargs=_pk("table")),
    Row("review:table_pdf", {ROUTED, COPIED, OFFICE}, kwargs=_pk("table")),
    Row("review:scan", {ROUTED, COPIED, OFFICE}, kwargs=_pk("scan")),
    Row("review:import_reviewers", ONLY_OFFICE, BOTH),
    *import_rows("review", "import_reviewers", _staged("review")),
    # --- formal check and similarity: the office ------------------------------------------
    *office_rows(
        "selection",
        [
            ("index", GET, lambda w: {}),
            ("check", BOTH, _pk("recommended")),
            ("attachment", GET, _attachment("recommended")),
            ("pair", BOTH, _pk("pair")),
            ("overview", GET, _call),
            ("duplicates", GET, _call),
            ("run_similarity", POST, _call),
            ("similarity_progress", GET, _call),
        ],
    ),
    # --- experts -----------------------------------------------------------------------------
    Row("experts:home", EXPERTS),
    Row("experts:declarations", EXPERTS, BOTH),
    # Setting up and proving a second factor needs a login only; each page may send the
    # user on to the other (set-up → verify when an authenticator exists, and back).
    Row("experts:setup", SIGNED_IN | {UNVERIFIED}),
    Row("experts:verify", SIGNED_IN | {UNVERIFIED}),
    *office_rows(
        "experts",
        [
            ("pool", GET, lambda w: {}),
            ("import", BOTH, lambda w: {}),
            ("expert", GET, lambda w: {"pk": w.expert.pk}),
            ("office_declare", POST, lambda w: {"pk": w.expert.pk}),
            ("reset_second_factor", POST, lambda w: {"pk": w.expert.pk}),
            ("plan", BOTH, _call),
            ("assignment", GET, _call),
            ("run_assignment", POST, _call),
            ("application", BOTH, _pk("recommended")),
            ("remove_assignment", POST, _assignment),
        ],
    ),
    *import_rows("experts", "import", _staged("experts")),
    # --- scoring -----------------------------------------------------------------------------
    Row("scoring:home", EXPERTS),
    Row("scoring:task", {EXPERT}, BOTH, _task),
    Row("scoring:attachment", {EXPERT}, kwargs=_task_attachment),
    Row("scoring:my_slots", APPLICANTS),  # each applicant sees its own defence slots
    Row("scoring:slot_pdf", {OWNER, OFFICE}, kwargs=_pk("slot")),
    # An unknown action is "not found" for everyone: the office's request names a real one.
    Row(
        "scoring:round_state",
        ONLY_OFFICE,
        POST,
        _pk("defence_round"),
        data=lambda w: {"action": "open"},
    ),
    *office_rows(
        "scoring",
        [
            ("office", GET, lambda w: {}),
            ("call", BOTH, _call),
            ("round", GET, _pk("online")),
            ("round_deadline", POST, _pk("online")),
            ("remind", POST, _pk("online")),
            ("ranking", GET, _pk("online")),
            ("score", GET, _pk("score")),
            ("score_reopen", POST, _pk("score")),
            ("shortlist", BOTH, _pk("defence_round")),
            ("panel_create", POST, _pk("defence_round")),
            ("panel", BOTH, _pk("panel")),
            ("slot_cancel", POST, _pk("slot")),
            ("paper_score", BOTH, lambda w: {"pk": w.slot.pk, "expert_pk": w.expert.pk}),
            ("combined", BOTH, _pk("combined")),
        ],
    ),
    # --- notices (the finished call's notice is final; its one objection answered) ----------
    Row("notices:index", PUBLIC),
    Row("notices:public", PUBLIC, kwargs=_pk("notice")),
    # Anyone may post; outside the notice period the form answers 400 with the reason.
    Row("notices:file_objection", PUBLIC, POST, _pk("notice")),
    Row(
        "notices:receipt",
        PUBLIC,
        kwargs=_pk("notice"),
        variant="signed link",
        query=lambda w: f"r={w.receipt_token}",
    ),
    Row("notices:receipt", NOBODY, kwargs=_pk("notice"), variant="no link", anonymous=NOT_FOUND),
    *office_rows(
        "notices",
        [
            ("office", GET, lambda w: {}),
            ("decisions", GET, _done_call),
            ("decide", POST, _done_call),
            ("default_tiers", POST, _done_call),
            ("edit_notice", BOTH, _done_call),
            ("manage", GET, _pk("notice")),
            ("publish", POST, _pk("notice")),
            ("finalise", POST, _pk("notice")),
            ("xlsx", GET, _pk("notice")),
            ("pdf", GET, _pk("notice")),
            ("objection", GET, _pk("objection")),
            ("investigate", POST, _pk("objection")),
            ("answer", POST, _pk("objection")),
            ("withdraw", POST, _pk("objection")),
            ("evidence", GET, _pk("objection")),
        ],
    ),
    # --- typical cases -----------------------------------------------------------------------
    Row("cases:library", PUBLIC),
    Row("cases:case", PUBLIC, kwargs=_pk("published_case"), variant="published"),
    Row("cases:case", ONLY_OFFICE, kwargs=_pk("case"), variant="draft", anonymous=NOT_FOUND),
    Row("cases:image", PUBLIC, kwargs=_pk("published_image"), variant="published"),
    # A draft's picture: the office, and A for its consent.
    Row("cases:image", {OFFICE, OWNER}, kwargs=_pk("image"), variant="draft", anonymous=NOT_FOUND),
    # 503 while the yearly collection is still being rendered.
    Row("cases:collection", PUBLIC, kwargs=lambda w: {"year": 2020}, ok=frozenset({503})),
    Row("cases:consent_list", APPLICANTS),
    Row("cases:consent", ONLY_OWNER, BOTH, _pk("case")),
    *office_rows(
        "cases",
        [
            ("office", GET, lambda w: {}),
            ("choose", GET, lambda w: {}),
            ("create", POST, lambda w: {}),
            ("office_case", GET, _pk("case")),
            ("edit", BOTH, _pk("case")),
            ("add_figure", POST, _pk("case")),
            ("delete_figure", POST, lambda w: {"pk": w.case.pk, "figure_pk": w.figure.pk}),
            ("add_image", POST, _pk("case")),
            ("delete_image", POST, lambda w: {"pk": w.case.pk, "image_pk": w.image.pk}),
            ("request_consent", POST, _pk("case")),
            ("act", POST, _pk("case")),
            ("collection_progress", GET, lambda w: {"year": 2020}),
        ],
    ),
    # --- tracking (A's report, submitted: routed to 沛县) ------------------------------------
    *office_rows(
        "tracking",
        [
            ("index", GET, lambda w: {}),
            ("projects", GET, lambda w: {}),
            ("sync_platform", POST, lambda w: {}),
            ("import", BOTH, lambda w: {}),
            ("import_template", GET, lambda w: {}),
            ("import_report", GET, _pk("import_batch")),
            ("import_confirm", POST, _pk("import_batch")),
            ("import_progress", GET, _pk("import_batch")),
            ("import_errors", GET, _pk("import_batch")),
            ("round_new", BOTH, lambda w: {}),
            ("round", GET, _pk("round")),
            ("round_export", GET, _pk("round")),
            ("round_remind", POST, _pk("round")),
            ("round_add_missing", POST, _pk("round")),
            ("round_close", POST, _pk("round")),
            ("report", GET, _pk("report")),
            ("evaluate", POST, _pk("report")),
            ("return", POST, _pk("report")),
        ],
    ),
    Row(
        "tracking:attachment",
        {OFFICE, OWNER, ROUTED},
        kwargs=lambda w: {"pk": w.report.pk, "attachment_pk": w.report_attachment.pk},
    ),
    Row("tracking:my_reports", APPLICANTS),
    Row("tracking:my_report", ONLY_OWNER, BOTH, _pk("report")),
    Row("tracking:attach", ONLY_OWNER, POST, _pk("report")),
    Row(
        "tracking:detach",
        ONLY_OWNER,
        POST,
        lambda w: {"pk": w.report.pk, "attachment_pk": w.report_attachment.pk},
    ),
    Row("tracking:area_reports", REVIEWERS),
    Row("tracking:area_report", {ROUTED}, BOTH, _pk("report")),
    # --- statistics and funding priority -----------------------------------------------------
    Row("stats:dashboard", REVIEWERS | {OFFICE}),  # each reviewer sees its own area
    Row("stats:export", REVIEWERS | {OFFICE}, kwargs=lambda w: {"figure": "category"}),
    Row("stats:funding", ONLY_OFFICE),
    Row("stats:funding_export", ONLY_OFFICE),
    Row("stats:funding_edit", ONLY_OFFICE, BOTH, _pk("selected")),
    Row("stats:funding_unmark", ONLY_OFFICE, POST, _pk("selected")),
    Row("stats:public_index", PUBLIC),
    Row("stats:public_year", PUBLIC, kwargs=lambda w: {"year": 2020}, variant="final list"),
    Row(
        "stats:public_year",
        NOBODY,
        kwargs=lambda w: {"year": 2021},
        variant="list not final",
        anonymous=NOT_FOUND,
    ),
    # --- API pages (the API itself, api-v1:*, has its own token-scope tests) -----------------
    Row("api:tokens", ONLY_OFFICE, BOTH),
    Row("api:revoke_token", ONLY_OFFICE, BOTH, _pk("token")),
    Row("api:docs", PUBLIC),
    Row("api:docs_asset", PUBLIC, kwargs=lambda w: {"name": "swagger-ui.css"}),
    # --- everyone's own, the audit trail, accounts -------------------------------------------
    Row("notifications:inbox", SIGNED_IN),
    Row("audit:events", ONLY_OFFICE),
    Row("audit:verify", ONLY_OFFICE, POST),
    # Exports of lists (documents): asked for from a list the role may see; the file is
    # only its requester's (the office asked for the world's).
    Row("documents:exports", SIGNED_IN),
    Row("documents:start_export", ONLY_OFFICE, POST, lambda w: {"name": "audit"}, "audit"),
    Row(
        "documents:start_export",
        REVIEWERS,
        POST,
        lambda w: {"name": "review_queue"},
        "review queue",
        query=lambda w: f"call={w.live.slug}",
    ),
    Row(
        "documents:start_export",
        APPLICANTS,
        POST,
        lambda w: {"name": "applicant_home"},
        "applicant home",
    ),
    Row("documents:export", ONLY_OFFICE, kwargs=_pk("list_export")),
    Row("documents:export_status", ONLY_OFFICE, kwargs=_pk("list_export")),
    Row("documents:export_download", ONLY_OFFICE, kwargs=_pk("list_export")),
    Row("orgs:after_login", SIGNED_IN),  # sends each role to where its work is
    Row("orgs:register", PUBLIC, BOTH),  # a signed-in user is sent to the applicant's home
    Row("orgs:lockouts", ONLY_OFFICE),
    Row("orgs:unlock", ONLY_OFFICE, POST, _pk("lockout")),
    Row("orgs:import", ONLY_OFFICE, BOTH),
    *import_rows("orgs", "import", _staged("orgs")),
    # Inviting colleagues: an applicant, into its own organisation. Others get 403 here.
    Row("orgs:organisation", APPLICANTS, BOTH, refused=FORBIDDEN),
    Row(
        "orgs:accept_invitation",
        PUBLIC,
        BOTH,
        lambda w: {"token": w.invitation_token},
        variant="signed token",
    ),
    Row(
        "orgs:accept_invitation",
        NOBODY,
        BOTH,
        lambda w: {"token": "forged-token"},
        variant="forged token",
        anonymous=NOT_FOUND,
    ),
    # Single sign-on is off unless configured (KEYPROJECTS_OIDC_*), as here: both pages are
    # 404 for everyone. Switched on, they are tested against a real provider in tests/orgs/oidc.
    Row("orgs:sso_login", NOBODY, variant="SSO off", anonymous=NOT_FOUND),
    Row("orgs:sso_callback", NOBODY, variant="SSO off", anonymous=NOT_FOUND),
]

# Second-factor pages an unverified session may still open (experts/middleware.OPEN_VIEWS).
SECOND_FACTOR_PAGES = {"experts:setup", "experts:verify"}
