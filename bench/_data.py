"""Bench data built fast with bulk_create: organisations, accounts, applications at every
review stage, and what each list page needs (a reviewer, the office, a published notice).

Used by bench_surge.py and bench_lists.py (10,000–50,000 rows in seconds) and by
tests/perf (a few dozen rows). Rows are plain inserts, not the workflow: statuses, routing,
formal checks and decisions are written as the workflow would leave them, so the pages read
realistic data without the cost of running every transition.
"""

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from stdnum.cn import uscc

from keyprojects.applications.models import Application, Attachment, AttachmentKind
from keyprojects.applications.workflow import Status
from keyprojects.calls.reference import call_spec, load_call
from keyprojects.core.clock import china_time, now
from keyprojects.notices.decisions import create_default_tiers
from keyprojects.notices.models import Decision, PublicNotice
from keyprojects.orgs.models import OFFICE_GROUP, Authority, Organisation, Region, User
from keyprojects.orgs.reference import load_authorities, load_departments, load_regions
from keyprojects.orgs.routing import route
from keyprojects.selection.models import FormalCheck

PASSWORD = "Bench-password-2026"
# The staff's authenticator secret (hex): the benches compute its codes to pass the second
# factor the office and reviewers must prove (experts/access.py).
TOTP_KEY = "3132333435363738393031323334353637383930"
BATCH = 2000
# The review stages the list pages show besides `selected`, whose number the tiers bound
# (the 2020 list: 50 key projects, 10 of them flagship).
STAGES = [Status.SUBMITTED, Status.RECOMMENDED, Status.CHECK_PASSED]
SELECTED = 50


def load_reference():
    load_regions()
    load_departments()
    load_authorities()


def open_call(slug="bench"):
    """A call with the 2020 rules whose window is open now (as tests/factories.make_call)."""
    at = now()
    return load_call(
        call_spec(),
        slug=slug,
        window_opens_at=at - dt.timedelta(days=1),
        window_closes_at=at + dt.timedelta(days=10),
        recommendation_deadline=at + dt.timedelta(days=21),
    )


def county_seats():
    """Every current county-level region, in code order (districts, counties, county cities)."""
    return list(
        Region.objects.filter(
            kind__in=[Region.Kind.DISTRICT, Region.Kind.COUNTY, Region.Kind.COUNTY_CITY],
            abolished_on__isnull=True,
        )
        .select_related("parent")
        .order_by("code")
    )


def _credit_code(prefix: str, serial: int) -> str:
    first17 = f"{prefix}{serial:07d}"[:17]
    return first17 + uscc.calc_check_digit(first17)


def organisations_with_users(n, *, seats, prefix="bench", rng=None, password_hash=None):
    """n organisations spread over `seats`, each with one applicant account; returns users.

    Every account gets the same real (PBKDF2) hash of PASSWORD, computed once: logging in
    costs what it costs in production, building 25,000 accounts does not.
    """
    rng = rng or random.Random(2020)
    password_hash = password_hash or make_password(PASSWORD)
    code_prefix = "91320000" + "".join(rng.choice("ABCDEFGH") for _ in range(2))
    start = Organisation.objects.count() + 1
    orgs = [
        Organisation(
            name=f"{seat}测试单位{start + i}",
            credit_code=_credit_code(code_prefix, start + i),
            kind=Organisation.Kind.ENTERPRISE,
            seat=seat,
            address=f"{seat.name}测试路{i % 300 + 1}号",
            legal_representative="张三",
            contact_name="李四",
            contact_phone="025-88888888",
            contact_email=f"contact{start + i}@example.com",
        )
        for i, seat in enumerate(rng.choice(seats) for _ in range(n))
    ]
    Organisation.objects.bulk_create(orgs, batch_size=BATCH)
    users = [
        User(
            username=f"{prefix}{start + i:06d}",
            password=password_hash,
            email=f"{prefix}{start + i:06d}@example.com",
            full_name=f"申报人{start + i}",
            organisation=org,
        )
        for i, org in enumerate(orgs)
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    return users


def routes_by_seat(seats):
    """The (authority, copy authority) of each seat, as orgs.routing decides on submit."""
    routes = {}
    for seat in seats:
        destination = route(Organisation(seat=seat, kind=Organisation.Kind.ENTERPRISE))
        routes[seat.pk] = (destination.authority, destination.copy_to)
    return routes


def staff_accounts(password_hash=None):
    """The provincial office account and a reviewer of 南京市 (the largest city queue), each
    with a confirmed authenticator (TOTP_KEY)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    password_hash = password_hash or make_password(PASSWORD)
    office = User.objects.create(
        username="bench_office", password=password_hash, full_name="省信息化办", is_staff=True
    )
    office.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    reviewer = User.objects.create(
        username="bench_reviewer",
        password=password_hash,
        full_name="南京审核员",
        authority=Authority.objects.get(name="南京市信息化主管部门"),
    )
    for user in (office, reviewer):
        TOTPDevice.objects.create(user=user, name="bench", key=TOTP_KEY, confirmed=True)
    return office, reviewer


def totp_code() -> str:
    """The authenticator's current code (as the staff's phone app shows it)."""
    from django_otp.oath import TOTP

    return f"{TOTP(bytes.fromhex(TOTP_KEY)).token():06d}"


def applications_at_stages(call, users, total, *, office, selected=0, statuses=None, rng=None):
    """`total` applications, shared out in turn among the users' organisations: `selected`
    of them selected into a tier (with a Decision), the others spread over the review stages
    at random (or all taking `statuses` in turn, for tests).

    Submitted ones are routed like orgs.routing; those past the formal check carry it;
    about one in twenty lacks the required attachment (the queue flags it).
    """
    rng = rng or random.Random(2020)
    chosen = set(rng.sample(range(total), min(selected, total)))
    seats = {u.organisation.seat_id: u.organisation.seat for u in users}
    routes = routes_by_seat(seats.values())
    categories = list(call.categories.all())
    at = now()
    rows = []
    for i in range(total):
        user, k = users[i % len(users)], i // len(users)
        if statuses:
            status = statuses[i % len(statuses)]
        else:
            status = Status.SELECTED if i in chosen else rng.choice(STAGES)
        authority, copy_to = routes[user.organisation.seat_id]
        amount = Decimal(rng.randrange(400, 20000))
        rows.append(
            Application(
                call=call,
                organisation=user.organisation,
                status=status,
                created_by=user,
                updated_by=user,
                submitted_at=at - dt.timedelta(minutes=rng.randrange(1, 20000)),
                authority=authority,
                copy_authority=copy_to,
                name=f"{user.organisation.seat}智慧城市项目{user.pk}-{k}",
                category=rng.choice(categories),
                summary="以数据汇聚和智能分析支撑城市运行管理",
                construction_content="建设城市运行管理中心、数据中台和十二个应用场景。",
                technologies=["ai", "big_data"],
                security_level="3",
                in_it_plan=True,
                total_investment=amount,
                civil_works_investment=(amount / 10).quantize(Decimal("0.01")),
                investment_completed=(amount / 2).quantize(Decimal("0.01")),
                start_month=dt.date(2019, 3, 1),
                planned_completion_month=dt.date(2021, 3, 1),
                contact_name="王五",
                contact_phone="13800000000",
                contact_email="wangwu@example.com",
                declares_whole_project=True,
                declares_truthful=True,
                applicant_snapshot={"name": user.organisation.name},
            )
        )
    Application.objects.bulk_create(rows, batch_size=BATCH)
    _attachments(rows, at, rng)
    _checks_and_decisions(call, rows, office, at)
    return rows


def _attachments(applications, at, rng):
    Attachment.objects.bulk_create(
        (
            Attachment(
                application=a,
                kind=AttachmentKind.APPROVAL,
                file=f"attachments/bench/{a.pk.hex}.pdf",  # a row only: lists never open it
                original_name="立项批复.pdf",
                content_type="application/pdf",
                extension=".pdf",
                size=123456,
                sha256="0" * 64,
                uploaded_by=a.created_by,
                uploaded_at=at,
            )
            for a in applications
            if rng.random() >= 0.05
        ),
        batch_size=BATCH,
    )


def _checks_and_decisions(call, applications, office, at):
    passed = [a for a in applications if a.status in {Status.CHECK_PASSED, Status.SELECTED}]
    FormalCheck.objects.bulk_create(
        (
            FormalCheck(
                application=a,
                verdict=FormalCheck.Verdict.PASS,
                checked_by=office,
                checked_at=at,
                version=1,
            )
            for a in passed
        ),
        batch_size=BATCH,
    )
    chosen = [a for a in applications if a.status == Status.SELECTED]
    if not chosen:
        return
    tiers = create_default_tiers(call, by=office)
    Decision.objects.bulk_create(
        (
            Decision(
                application=a,
                call=call,
                tier=tiers[0] if i < 10 else tiers[1],
                decided_by=office,
                decided_at=at,
                version=1,
            )
            for i, a in enumerate(chosen)
        ),
        batch_size=BATCH,
    )


def published_notice(call, office):
    today = china_time(now()).date()
    return PublicNotice.objects.create(
        call=call,
        title=f"{call.title}拟入选项目公示",
        text="经申报推荐、形式审查、专家评审和综合会审，现将拟入选项目予以公示。",
        starts_on=today,
        ends_on=today + dt.timedelta(days=7),
        contact_name="张树林",
        contact_phone="025-69652659",
        state=PublicNotice.State.PUBLISHED,
        created_by=office,
        updated_by=office,
        published_at=now(),
    )


def case_library_built() -> bool:
    """Does the case library (keyprojects.cases, being written) have its public list yet?"""
    from django.urls import NoReverseMatch, reverse

    try:
        reverse("cases:library")
    except NoReverseMatch:
        return False
    return True


def published_cases(call, office):
    """A published typical case for every selected application that has none yet (cases
    are written from selected projects)."""
    from keyprojects.cases import search
    from keyprojects.cases.models import Case

    at = now()
    cases = []
    for a in (
        Application.objects.filter(call=call, status=Status.SELECTED, cases__isnull=True)
        .select_related("organisation__seat__parent", "category")
        .order_by("pk")
    ):
        seat = a.organisation.seat
        case = Case(
            application=a,
            state=Case.State.PUBLISHED,
            year=call.year,
            category=a.category,
            organisation=a.organisation,
            city=seat.parent if seat.is_county_level else seat,
            title=f"{a.name}典型案例",
            summary="以数据汇聚和智能分析支撑城市运行管理，事件处置时长缩短40%。",
            problem="多头受理、推诿扯皮，事件处置慢。",
            solution="建设城市运行管理中心、数据中台和十二个应用场景，事件智能分拨。",
            technologies="人工智能、大数据、物联网",
            results="事件处置时长缩短40%，每年节约运维费用300万元。",
            consent=Case.Consent.GIVEN,
            created_by=office,
            updated_by=office,
            submitted_by=office,
            submitted_at=at,
            published_by=office,
            published_at=at,
        )
        case.search_title, case.search_text = search.search_fields(case, [])
        cases.append(case)
    Case.objects.bulk_create(cases, batch_size=BATCH)
    return len(cases)


def list_pages_data(n, *, selected=SELECTED, seed=2020):
    """n applications (two per organisation) in one open call, with the staff accounts and
    a published notice; returns a dict of what the pages need."""
    rng = random.Random(seed)
    call = open_call()
    password_hash = make_password(PASSWORD)
    office, reviewer = staff_accounts(password_hash)
    users = organisations_with_users(
        max(1, n // 2), seats=county_seats(), rng=rng, password_hash=password_hash
    )
    # The applicant whose home page is measured works in 南京市玄武区, like the demo.
    xuanwu = Region.objects.get(code="320102")
    Organisation.objects.filter(pk=users[0].organisation_id).update(seat=xuanwu)
    users[0].organisation.seat = xuanwu
    applications_at_stages(call, users, n, office=office, selected=selected, rng=rng)
    notice = published_notice(call, office)
    cases = published_cases(call, office) if case_library_built() else None
    return {
        "call": call,
        "applicant": users[0],
        "reviewer": reviewer,
        "office": office,
        "notice": notice,
        "applications": n,
        "cases": cases,
    }
