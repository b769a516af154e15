"""Who may see and act on what in local review: every reviewer URL, every kind of user.

One shared world (built once for the module, rolled back at its end) holds five submitted
applications, one routed to each reviewer's authority, and 沛县's summary table with a scan:

    application  applicant's seat            routed to (审核)       copied to (抄报)
    A_city       320102 南京市玄武区 (区)    南京市                 -
    A_xuzhou     320302 徐州市鼓楼区 (区)    徐州市                 -
    A_county     320322 徐州市沛县 (县)      徐州市沛县             徐州市
    A_jiangyin   320281 无锡市江阴市 (县级市) 无锡市江阴市           无锡市
    A_dept       省属企业                    省交通运输厅           -

Each reviewer stands in one of three relations to each application (EXPECTED below):
"routed" (may view and decide), "copied" (may view, may not decide) or "foreign" (404
everywhere). Applicants, the provincial office and anonymous users are never reviewers.

Every URL of keyprojects.review.urls is in ROUTES with its methods; a new URL fails
test_every_review_url_is_in_the_table until it gets an entry. The test client does not
enforce CSRF, so a refused POST here is refused by the view itself.

The views guard applications twice: the queryset (queries.visible_to_reviewer) and the
permission (rules.py). Through the URLs, one layer hides a hole in the other, so the
permissions are also tested directly (test_application_permissions and
test_batch_permissions).
"""

import dataclasses
import io
import uuid
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pypdfium2
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from keyprojects.applications import domain as applications
from keyprojects.applications.models import Application, AttachmentKind
from keyprojects.applications.workflow import Status
from keyprojects.audit.models import Event
from keyprojects.audit.queries import object_events
from keyprojects.imports.domain import stage_rows
from keyprojects.imports.models import ImportBatch
from keyprojects.orgs.models import Authority, Organisation, User
from keyprojects.orgs.reference import load_authorities, load_departments, load_regions
from keyprojects.review import domain, urls
from keyprojects.review.imports import REVIEWERS as REVIEWER_ACCOUNTS
from keyprojects.review.models import RecommendationBatch, StampedScan, SummaryTable

from .. import factories

pytestmark = pytest.mark.django_db

ROUTED, COPIED, FOREIGN = "routed", "copied", "foreign"

REVIEWERS = {
    "nanjing": "南京市信息化主管部门",  # a prefecture city
    "xuzhou": "徐州市信息化主管部门",  # a prefecture city with a county (沛县) under it
    "peixian": "徐州市沛县信息化主管部门",  # a county
    "jiangyin": "无锡市江阴市信息化主管部门",  # a county-level city
    "transport": "省交通运输厅",  # a provincial department
}
# Not reviewers: an applicant of an unrelated organisation, the applicant who owns the
# application (or, for 沛县's table, owns a project in it), the provincial office, nobody.
OTHERS = ["applicant", "owner", "office", "anonymous"]
ACTORS = [*REVIEWERS, *OTHERS]

# Where each application comes from, its name, and where it must be routed on submit.
APPLICATIONS = {
    "A_city": ("320102", "玄武区政务数据共享平台", "南京市信息化主管部门", None),
    "A_xuzhou": ("320302", "鼓楼区智慧社区服务平台", "徐州市信息化主管部门", None),
    "A_county": (
        "320322",
        "沛县智慧农业物联网平台",
        "徐州市沛县信息化主管部门",
        "徐州市信息化主管部门",
    ),
    "A_jiangyin": (
        "320281",
        "江阴市工业互联网标识解析节点",
        "无锡市江阴市信息化主管部门",
        "无锡市信息化主管部门",
    ),
    "A_dept": ("320106", "省港航集团数字航道系统", "省交通运输厅", None),
}

# The matrix under test, written out rather than derived from the code under test.
EXPECTED = {
    #              A_city   A_xuzhou  A_county  A_jiangyin  A_dept
    "nanjing": (ROUTED, FOREIGN, FOREIGN, FOREIGN, FOREIGN),
    "xuzhou": (FOREIGN, ROUTED, COPIED, FOREIGN, FOREIGN),
    "peixian": (FOREIGN, FOREIGN, ROUTED, FOREIGN, FOREIGN),
    "jiangyin": (FOREIGN, FOREIGN, FOREIGN, ROUTED, FOREIGN),
    "transport": (FOREIGN, FOREIGN, FOREIGN, FOREIGN, ROUTED),
}


def relation(actor, target):
    if actor not in REVIEWERS:
        return FOREIGN
    return dict(zip(APPLICATIONS, EXPECTED[actor], strict=True))[target]


def related(actor, *relations):
    return {target for target in APPLICATIONS if relation(actor, target) in relations}


# Who gets 200 on 沛县's summary table and scan: its own reviewer, the city it is copied
# to (a county's material goes to its prefecture city), and the provincial office.
PEIXIAN_MATERIAL_READERS = {"peixian", "xuzhou", "office"}


# --- The shared world --------------------------------------------------------------------


@dataclasses.dataclass
class World:
    media: Path
    call: object
    users: dict  # actor → User, for every actor but "owner" and "anonymous"
    owners: dict  # application key → the applicant who submitted it
    applications: dict  # application key → Application
    attachments: dict  # application key → pk of its approval attachment
    peixian_batch: RecommendationBatch
    table: SummaryTable  # 沛县's current summary table
    scan: StampedScan  # 沛县's scan of it
    scan_image: bytes  # another scan of the same printed table, for upload_scan
    staged: object  # reviewer accounts the office uploaded, awaiting its confirmation

    def user(self, actor, target="A_county"):
        if actor == "anonymous":
            return None
        if actor == "owner":
            return self.owners[target]
        return self.users[actor]

    def authority(self, actor):
        return self.users[actor].authority


def scanned(pdf: bytes) -> bytes:
    """Print and scan: the first page of the PDF as a JPEG."""
    document = pypdfium2.PdfDocument(pdf)
    image = document[0].render(scale=2.5).to_pil().convert("RGB")
    document.close()
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


def scan_upload(world) -> SimpleUploadedFile:
    return SimpleUploadedFile("scan.jpg", world.scan_image, content_type="image/jpeg")


def build_world(media) -> World:
    load_regions()
    load_departments()
    load_authorities()
    call = factories.make_call(slug="visibility")
    users = {
        actor: factories.make_user(None, authority=Authority.objects.get(name=name))
        for actor, name in REVIEWERS.items()
    }
    users["applicant"] = factories.make_user(factories.make_organisation(seat="320505"))
    users["office"] = factories.make_office()

    owners, submitted, attachments = {}, {}, {}
    for key, (seat, name, routed_to, copied_to) in APPLICATIONS.items():
        fields = {}
        if key == "A_dept":
            fields = {
                "kind": Organisation.Kind.PROVINCIAL_SOE,
                "supervising_department": Authority.objects.get(name="省交通运输厅"),
            }
        owner = factories.make_user(factories.make_organisation(seat=seat, **fields))
        application = applications.submit(
            factories.make_application(call, owner, name=name), by=owner
        )
        application.refresh_from_db()
        route = (
            application.authority.name,
            application.copy_authority.name if application.copy_authority else None,
        )
        assert route == (routed_to, copied_to), f"{key} is routed to {route}"
        owners[key], submitted[key] = owner, application
        attachments[key] = application.attachments.get(kind=AttachmentKind.APPROVAL).pk

    # Each reviewer recommends what is routed to it, so every authority has a table to make.
    for actor in REVIEWERS:
        for key in related(actor, ROUTED):
            domain.decide(submitted[key], "recommend", by=users[actor], reason="同意推荐")
        domain.batch_for(call, users[actor].authority)
    for application in submitted.values():
        application.refresh_from_db()
        assert application.status == Status.RECOMMENDED

    peixian = users["peixian"]
    batch = domain.batch_for(call, peixian.authority)
    table = domain.start_table(batch, by=peixian)
    table.refresh_from_db()
    image = scanned(table.pdf.read())
    scan = domain.accept_scan(batch, SimpleUploadedFile("scan.jpg", image), by=peixian)
    return World(
        media=media,
        call=call,
        users=users,
        owners=owners,
        applications=submitted,
        attachments=attachments,
        peixian_batch=batch,
        table=table,
        scan=scan,
        scan_image=image,
        # One row, with errors: a confirmation imports nothing.
        staged=stage_rows(
            REVIEWER_ACCOUNTS,
            [{"number": 2, "values": dict.fromkeys(IMPORTED_HEADER, "")}],
            by=users["office"],
            file_name="reviewers.xlsx",
        ),
    )


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once in a transaction that wraps the module's tests (each of which runs in its
    own savepoint, rolled back after it) and is rolled back at the end of the module."""
    media = tmp_path_factory.mktemp("review-visibility-media")
    at_once = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, TASKS=at_once),
        transaction.atomic(),
    ):
        yield build_world(media)
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _media_root(settings, world):
    """Overrides tests/conftest.py's: the world's files are in the module's media folder."""
    settings.MEDIA_ROOT = world.media


# --- The URL table -----------------------------------------------------------------------

APPLICATION, OWN_BATCH, PEIXIAN_MATERIAL, OFFICE_ONLY = (
    "application",
    "own batch",
    "沛县's table and scan",
    "office only",
)


@dataclasses.dataclass(frozen=True)
class Route:
    methods: tuple[str, ...]
    kind: str
    # The URL's arguments for (world, target application).
    args: Callable[[World, str], dict]
    # POST body that would change something if the view let the request through.
    data: Callable[[World], dict] = lambda world: {}
    # Puts the world in the state where the request would act if let through.
    arrange: Callable[[World], None] = lambda world: None


def _application(world, target):
    return {"pk": world.applications[target].pk}


def _attachment(world, target):
    return {"pk": world.applications[target].pk, "attachment_pk": world.attachments[target]}


def _call(world, target):
    return {"slug": world.call.slug}


def _table(world, target):
    return {"pk": world.table.pk}


def _no_args(world, target):
    return {}


def _staged(world, target):
    return {"pk": world.staged.pk}


def _all_submitted(world):
    Application.objects.update(status=Status.SUBMITTED)


def _peixian_sent(world):
    domain.submit_to_province(world.peixian_batch, by=world.users["peixian"])


IMPORTED = ["vis_imported", "导入的审核员", "imported@example.com", "", "徐州市沛县信息化主管部门"]


IMPORTED_HEADER = ["登录名", "姓名", "电子邮箱", "手机号码", "主管部门"]


def reviewer_sheet() -> SimpleUploadedFile:
    workbook = Workbook()
    workbook.active.append(IMPORTED_HEADER)
    workbook.active.append(IMPORTED)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("reviewers.xlsx", buffer.getvalue())


GET, POST = ("GET",), ("POST",)
ROUTES = {
    "queue": Route(GET, OWN_BATCH, lambda world, target: {"call": world.call.slug}),
    "application": Route(GET, APPLICATION, _application),
    "decide": Route(
        POST,
        APPLICATION,
        _application,
        lambda world: {"action": "return", "reason": "请补充可行性研究报告"},
    ),
    "attachment": Route(GET, APPLICATION, _attachment),
    "batch_recommend": Route(
        POST,
        OWN_BATCH,
        _call,
        lambda world: {"ids": [str(a.pk) for a in world.applications.values()]},
        _all_submitted,
    ),
    "batch": Route(GET, OWN_BATCH, _call),
    "generate_table": Route(POST, OWN_BATCH, _call),
    "upload_scan": Route(POST, OWN_BATCH, _call, lambda world: {"file": scan_upload(world)}),
    "submit_batch": Route(POST, OWN_BATCH, _call, lambda world: {"confirmed": "on"}),
    "reopen_batch": Route(
        POST,
        OFFICE_ONLY,
        lambda world, target: {"pk": world.peixian_batch.pk},
        lambda world: {"reason": "汇总表需补正"},
        _peixian_sent,
    ),
    "table": Route(GET, PEIXIAN_MATERIAL, _table),
    "table_progress": Route(GET, PEIXIAN_MATERIAL, _table),
    "table_xlsx": Route(GET, PEIXIAN_MATERIAL, _table),
    "table_pdf": Route(GET, PEIXIAN_MATERIAL, _table),
    "scan": Route(GET, PEIXIAN_MATERIAL, lambda world, target: {"pk": world.scan.pk}),
    # The upload stages the sheet; the import waits for the confirmation (imports app).
    "import_reviewers": Route(
        ("GET", "POST"), OFFICE_ONLY, _no_args, lambda world: {"file": reviewer_sheet()}
    ),
    "import_reviewers_template": Route(GET, OFFICE_ONLY, _no_args),
    "import_reviewers_report": Route(GET, OFFICE_ONLY, _staged),
    "import_reviewers_confirm": Route(POST, OFFICE_ONLY, _staged),
    "import_reviewers_progress": Route(GET, OFFICE_ONLY, _staged),
    "import_reviewers_errors": Route(GET, OFFICE_ONLY, _staged),
}


def cases_of(kind):
    return [
        (name, method)
        for name, route in ROUTES.items()
        if route.kind == kind
        for method in route.methods
    ]


def test_every_review_url_is_in_the_table():
    assert {p.name for p in urls.urlpatterns} == set(ROUTES), (
        "Each URL of keyprojects.review.urls needs an entry in ROUTES (and a kind the tests "
        "below know), so that who may use it is tested."
    )
    assert {route.kind for route in ROUTES.values()} == {
        APPLICATION,
        OWN_BATCH,
        PEIXIAN_MATERIAL,
        OFFICE_ONLY,
    }


def url_for(world, name, target="A_county", **overrides):
    arguments = {**ROUTES[name].args(world, target), **overrides}
    if name == "queue":  # the call is chosen by a query parameter
        return f"{reverse('review:queue')}?call={arguments['call']}"
    return reverse(f"review:{name}", kwargs=arguments)


def fetch(client, world, actor, method, url, data=None, target="A_county"):
    user = world.user(actor, target)
    if user is not None:
        client.force_login(user)
    if method == "GET":
        return client.get(url)
    return client.post(url, data or {})


# --- What a request may change ------------------------------------------------------------


def state() -> dict:
    """Everything a review request could change: each application's status and version,
    each authority's batch (sent?, tables, scans), the accounts and the audit events."""
    return {
        "applications": {
            a.name: (a.status, a.version)
            for a in Application.objects.only("name", "status", "version")
        },
        "batches": {
            batch.authority.name: (
                batch.submitted_at is not None,
                batch.tables.count(),
                StampedScan.objects.filter(table__batch=batch).count(),
            )
            for batch in RecommendationBatch.objects.select_related("authority")
        },
        "users": set(User.objects.values_list("username", flat=True)),
        "events": object_events().count(),
    }


def changed(before, after, part) -> set:
    keys = set(before[part]) | set(after[part])
    return {key for key in keys if before[part].get(key) != after[part].get(key)}


def assert_sent_to_login(response, url):
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login")
    assert parse_qs(location.query)["next"] == [url]


def assert_not_found(response, world):
    assert response.status_code == 404
    body = b"" if response.streaming else response.content
    for application in world.applications.values():
        assert application.name.encode() not in body


# --- The permissions themselves -----------------------------------------------------------


def user_or_anonymous(world, actor, target="A_county"):
    return world.user(actor, target) or AnonymousUser()


# (review.view_application, review.decide) for each relation.
APPLICATION_PERMISSIONS = {ROUTED: (True, True), COPIED: (True, False), FOREIGN: (False, False)}


@pytest.mark.parametrize(
    ("target", "actor"),
    [
        pytest.param(target, actor, id=f"{target}-{actor}-{relation(actor, target)}")
        for target in APPLICATIONS
        for actor in ACTORS
    ],
)
def test_application_permissions(world, target, actor):
    user = user_or_anonymous(world, actor, target)
    application = Application.objects.get(pk=world.applications[target].pk)

    granted = tuple(
        user.has_perm(permission, application)
        for permission in ["review.view_application", "review.decide"]
    )

    assert granted == APPLICATION_PERMISSIONS[relation(actor, target)]


# (review.view_batch, review.manage_batch, review.reopen_batch) on 沛县's batch.
BATCH_PERMISSIONS = {
    "peixian": (True, True, False),
    "xuzhou": (True, False, False),  # the copy of a county's material
    "office": (True, False, True),
}


@pytest.mark.parametrize("actor", ACTORS)
def test_batch_permissions(world, actor):
    user = user_or_anonymous(world, actor)
    batch = RecommendationBatch.objects.get(pk=world.peixian_batch.pk)

    granted = tuple(
        user.has_perm(permission, batch)
        for permission in ["review.view_batch", "review.manage_batch", "review.reopen_batch"]
    )

    assert granted == BATCH_PERMISSIONS.get(actor, (False, False, False))
    assert (actor in PEIXIAN_MATERIAL_READERS) is granted[0]


# --- Application URLs: view, download, decide ---------------------------------------------

APPLICATION_CASES = [
    pytest.param(
        name, method, target, actor, id=f"{name}-{target}-{actor}-{relation(actor, target)}"
    )
    for name, method in cases_of(APPLICATION)
    for target in APPLICATIONS
    for actor in ACTORS
]
# Who may use each application URL.
APPLICATION_ALLOWED = {"application": {ROUTED, COPIED}, "attachment": {ROUTED, COPIED}}
APPLICATION_ALLOWED["decide"] = {ROUTED}


@pytest.mark.parametrize(("name", "method", "target", "actor"), APPLICATION_CASES)
def test_application_urls(client, world, name, method, target, actor):
    route = ROUTES[name]
    application = world.applications[target]
    url = url_for(world, name, target)
    before = state()

    response = fetch(client, world, actor, method, url, route.data(world), target)

    after = state()
    if actor == "anonymous":
        assert_sent_to_login(response, url)
    elif relation(actor, target) not in APPLICATION_ALLOWED[name]:
        assert_not_found(response, world)
    elif name == "application":
        assert response.status_code == 200
        assert application.name in response.content.decode()
        assert response.context["can_decide"] is (relation(actor, target) == ROUTED)
    elif name == "attachment":
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
    else:  # decide, by the authority the application is routed to
        assert response.status_code == 302
        assert response["Location"] == reverse("review:application", args=[application.pk])
        assert after["applications"][application.name] == (
            Status.RETURNED,
            before["applications"][application.name][1] + 1,
        )
        assert changed(before, after, "applications") == {application.name}
        assert after["events"] == before["events"] + 1
        assert Event.objects.filter(
            target_id=str(application.pk), action="return", actor=world.user(actor)
        ).exists()
        assert changed(before, after, "batches") == set()
        return
    assert after == before


@pytest.mark.parametrize(
    ("actor", "target", "other"),
    [
        ("peixian", "A_county", "A_city"),  # own application, a foreign one's attachment
        ("nanjing", "A_county", "A_city"),  # foreign application, own one's attachment
        ("xuzhou", "A_county", "A_xuzhou"),  # copied application, own one's attachment
    ],
)
def test_attachment_is_looked_up_within_the_application(client, world, actor, target, other):
    url = url_for(world, "attachment", target, attachment_pk=world.attachments[other])
    before = state()

    response = fetch(client, world, actor, "GET", url)

    assert_not_found(response, world)
    assert state() == before


# --- The authority's own batch: queue, batch page, table, scan, sending --------------------

OWN_BATCH_CASES = [
    pytest.param(name, method, actor, id=f"{name}-{actor}")
    for name, method in cases_of(OWN_BATCH)
    for actor in ACTORS
]


@pytest.mark.parametrize(("name", "method", "actor"), OWN_BATCH_CASES)
def test_own_batch_urls_act_only_on_the_users_authority(client, world, name, method, actor):
    route = ROUTES[name]
    url = url_for(world, name)
    route.arrange(world)
    before = state()

    response = fetch(client, world, actor, method, url, route.data(world))

    after = state()
    if actor == "anonymous":
        assert_sent_to_login(response, url)
        assert after == before
        return
    if actor not in REVIEWERS:
        assert_not_found(response, world)
        assert after == before
        return

    authority = world.authority(actor).name
    visible = {world.applications[t].name for t in related(actor, ROUTED, COPIED)}
    routed = {world.applications[t].name for t in related(actor, ROUTED)}
    # What the request must change: (batches by authority name, applications by name, events).
    expected = {
        "queue": (set(), set(), 0),
        "batch": (set(), set(), 0),
        "generate_table": ({authority}, set(), 1),
        # Only 沛县 has a table the scan can certify; anyone else's upload is refused.
        "upload_scan": ({authority}, set(), 1) if actor == "peixian" else (set(), set(), 0),
        # Only 沛县 has a current scan, so only 沛县 can send.
        "submit_batch": ({authority}, set(), 1) if actor == "peixian" else (set(), set(), 0),
        "batch_recommend": (set(), routed, len(routed)),
    }[name]
    assert (
        changed(before, after, "batches"),
        changed(before, after, "applications"),
        after["events"] - before["events"],
    ) == expected
    assert after["users"] == before["users"]

    assert response.status_code == (200 if method == "GET" else 302)
    body = response.content.decode() if method == "GET" else ""
    if name == "queue":
        shown = {application.name for application in response.context["applications"]}
        assert shown == visible
        for application in world.applications.values():
            assert (application.name in body) is (application.name in visible)
    elif name == "batch":
        assert response.context["batch"].authority.name == authority
        assert {a.name for a in response.context["recommended"]} == routed
        for application in world.applications.values():
            assert (application.name in body) is (application.name in routed)
    elif name == "generate_table":
        table = SummaryTable.objects.filter(batch__authority__name=authority).first()
        assert {row["name"] for row in table.content["rows"]} == routed
    elif name == "batch_recommend":
        for application in world.applications.values():
            expected_status = Status.RECOMMENDED if application.name in routed else Status.SUBMITTED
            assert after["applications"][application.name][0] == expected_status


# --- 沛县's summary table and scan: the county, its city, the office -----------------------

PEIXIAN_MATERIAL_CASES = [
    pytest.param(name, method, actor, id=f"{name}-{actor}")
    for name, method in cases_of(PEIXIAN_MATERIAL)
    for actor in ACTORS
]


@pytest.mark.parametrize(("name", "method", "actor"), PEIXIAN_MATERIAL_CASES)
def test_peixian_table_and_scan(client, world, name, method, actor):
    url = url_for(world, name)
    before = state()

    response = fetch(client, world, actor, method, url)

    assert state() == before
    if actor == "anonymous":
        assert_sent_to_login(response, url)
        return
    if actor not in PEIXIAN_MATERIAL_READERS:
        assert_not_found(response, world)
        assert world.table.code.encode() not in response.content
        return
    assert response.status_code == 200
    if name == "table":
        body = response.content.decode()
        assert world.table.code in body
        assert world.applications["A_county"].name in body
        return
    if name == "table_progress":
        body = response.content.decode()
        assert world.table.code in body
        assert reverse("review:table_pdf", args=[world.table.pk]) in body
        return
    assert response["Content-Disposition"].startswith("attachment;")
    content = b"".join(response.streaming_content)
    if name == "table_xlsx":
        assert content.startswith(b"PK")
    elif name == "table_pdf":
        assert content.startswith(b"%PDF-")
    else:
        with world.scan.file.open("rb") as stored:
            assert content == stored.read()


# --- The provincial office's own URLs: reopening a sent batch, importing reviewers ---------

OFFICE_CASES = [
    pytest.param(name, method, actor, id=f"{name}-{method}-{actor}")
    for name, method in cases_of(OFFICE_ONLY)
    for actor in ACTORS
]


@pytest.mark.parametrize(("name", "method", "actor"), OFFICE_CASES)
def test_office_only_urls(client, world, name, method, actor):
    route = ROUTES[name]
    route.arrange(world)
    url = url_for(world, name)
    before = state()

    response = fetch(client, world, actor, method, url, route.data(world))

    after = state()
    if actor == "anonymous":
        assert_sent_to_login(response, url)
    elif actor != "office":
        assert_not_found(response, world)
    elif (name, method) == ("reopen_batch", "POST"):
        assert response.status_code == 302
        assert response["Location"] == reverse("review:table", args=[world.table.pk])
        assert not RecommendationBatch.objects.get(pk=world.peixian_batch.pk).is_submitted
        assert changed(before, after, "batches") == {REVIEWERS["peixian"]}
        assert after["events"] == before["events"] + 1
        return
    elif (name, method) == ("import_reviewers", "POST"):
        # Staged for the office to confirm (the preview is recorded); nobody imported yet.
        batch = ImportBatch.objects.exclude(pk=world.staged.pk).get()
        assert response["Location"] == reverse("review:import_reviewers_report", args=[batch.pk])
        assert [row["values"]["登录名"] for row in batch.good_rows] == [IMPORTED[0]]
        assert after["users"] == before["users"]
        assert after["events"] == before["events"] + 1
        return
    elif name in {"import_reviewers_confirm", "import_reviewers_progress"}:
        # Nothing to import in the staged rows; both send back to the report.
        report = reverse("review:import_reviewers_report", args=[world.staged.pk])
        assert response["Location"] == report
        assert after == before
        return
    else:
        assert response.status_code == 200
    assert after == before


# --- Unknown identifiers and wrong methods -------------------------------------------------


def identifiers(name):
    """The identifiers in the URL `name`: its captured arguments (or ?call= for the queue)."""
    if name == "queue":
        return ["call"]
    pattern = next(p for p in urls.urlpatterns if p.name == name)
    return list(pattern.pattern.regex.groupindex)


# The user who would be let through with the real identifiers.
ENTITLED = {APPLICATION: "peixian", OWN_BATCH: "peixian", PEIXIAN_MATERIAL: "peixian"}
ENTITLED[OFFICE_ONLY] = "office"

RANDOM_CASES = [
    pytest.param(name, method, identifier, id=f"{name}-{method}-{identifier}")
    for name, route in ROUTES.items()
    for method in route.methods
    for identifier in identifiers(name)
]


@pytest.mark.parametrize(("name", "method", "identifier"), RANDOM_CASES)
def test_unknown_identifier_is_not_found(client, world, name, method, identifier):
    route = ROUTES[name]
    unknown = "no-such-call" if identifier in {"slug", "call"} else uuid.uuid4()
    url = url_for(world, name, **{identifier: unknown})
    route.arrange(world)
    before = state()

    response = fetch(client, world, ENTITLED[route.kind], method, url, route.data(world))

    assert_not_found(response, world)
    assert state() == before


WRONG_METHOD_CASES = [
    (name, method)
    for name, route in ROUTES.items()
    for method in ["GET", "POST"]
    if method not in route.methods
]


@pytest.mark.parametrize(("name", "method"), WRONG_METHOD_CASES, ids=lambda value: value)
def test_other_method_is_not_allowed(client, world, name, method):
    route = ROUTES[name]
    route.arrange(world)
    before = state()

    response = fetch(client, world, ENTITLED[route.kind], method, url_for(world, name))

    assert response.status_code == 405
    assert state() == before
