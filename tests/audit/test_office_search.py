"""The office searches, verifies and exports the audit trail; nobody else sees it."""

import datetime as dt
import io
import json
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from keyprojects.applications import domain as applications
from keyprojects.audit import chain
from keyprojects.audit.context import current_ip
from keyprojects.audit.domain import event, record, record_many
from keyprojects.audit.models import Event
from keyprojects.core.clock import CHINA
from keyprojects.documents.models import ListExport
from keyprojects.orgs.models import Authority

from .. import factories
from ..factories import PASSWORD

EVENTS = reverse("audit:events")
EXPORT = reverse("documents:start_export", args=["audit"])
VERIFY = reverse("audit:verify")


@pytest.fixture
def office(regions):
    return factories.make_office(username="office1")


@pytest.fixture
def office_client(client, office):
    client.force_login(office)
    return client


def _rows(response):
    return response.context["rows"]


def _targets(response):
    return [row["event"].target_id for row in _rows(response)]


def _at(day, hour, minute=0):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=CHINA)


def _append_at(organisation, action, at, **details):
    """An event at a chosen instant (the trail chains whatever time it is given)."""
    made = event("orgs.organisation", organisation.pk, action, **details)
    made.at = at
    return chain.append([made])[0]


# --- Who may see it ------------------------------------------------------------------------


def _reviewer(regions):
    return factories.make_user(None, authority=Authority.objects.get(name="徐州市信息化主管部门"))


@pytest.mark.parametrize("who", ["applicant", "reviewer", "staff"])
@pytest.mark.parametrize(("method", "url"), [("get", EVENTS), ("post", EXPORT), ("post", VERIFY)])
def test_only_the_office_finds_the_trail(client, regions, applicant, who, method, url):
    user = {
        "applicant": applicant,
        "reviewer": _reviewer(regions),
        "staff": factories.make_user(None, is_staff=True),
    }[who]
    client.force_login(user)

    response = getattr(client, method)(url)

    assert response.status_code == 404
    assert not Event.objects.filter(action="export_list").exists()


@pytest.mark.parametrize(("method", "url"), [("get", EVENTS), ("post", EXPORT), ("post", VERIFY)])
def test_anonymous_is_sent_to_login(client, regions, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_menu_links_the_page_for_the_office_only(client, office, regions):
    office.is_staff = True
    office.save()
    staff = factories.make_user(None, is_staff=True)
    client.force_login(office)
    assert EVENTS in client.get(reverse("home")).content.decode()
    client.force_login(staff)
    assert EVENTS not in client.get(reverse("home")).content.decode()


# --- Searching ---------------------------------------------------------------------------


def test_logins_through_the_site_are_found_by_user_and_action(client, office, applicant):
    client.post(reverse("login"), {"username": applicant.username, "password": PASSWORD})
    client.post(reverse("logout"))
    client.force_login(office)

    response = client.get(EVENTS, {"user": applicant.username, "action": "login"})

    (row,) = _rows(response)
    assert (row["event"].actor, row["action"], row["role"]) == (applicant, "登录", "申报单位用户")
    assert row["ip"] == "127.0.0.1"
    page = response.content.decode()
    assert "登录" in page and applicant.username in page
    logout = client.get(EVENTS, {"user": applicant.username, "action": "logout"})
    assert [r["event"].action for r in _rows(logout)] == ["logout"]


def test_user_filter_matches_the_name_too(office_client, organisation, applicant):
    applicant.full_name = "赵申报"
    applicant.save()
    record(organisation, "edit", actor=applicant)

    response = office_client.get(EVENTS, {"user": "申报"})

    assert [r["event"].actor for r in _rows(response)] == [applicant]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"role": "office"}, ["by-office"]),
        ({"role": "applicant"}, ["by-applicant"]),
        ({"outcome": "denied"}, ["denied"]),
        ({"outcome": "success"}, ["from-10", "320102", "by-applicant", "by-office"]),
        ({"target_type": "orgs.region"}, ["320102"]),
        ({"target_id": "denied"}, ["denied"]),
        ({"ip": "10.0.0.5"}, ["from-10"]),
    ],
)
def test_each_filter(office_client, office, applicant, organisation, filters, expected):
    def probe(target_id, **details):
        record_many([event("test.thing", target_id, "probe", **details)])

    probe("by-office", actor=office)
    probe("by-applicant", actor=applicant)
    probe("denied", outcome=Event.Outcome.DENIED)
    record(organisation.seat, "probe")
    token = current_ip.set("10.0.0.5")
    try:
        probe("from-10")
    finally:
        current_ip.reset(token)

    # The office's own login is in the trail too: the action keeps to these events.
    response = office_client.get(EVENTS, {"action": "probe", **filters})

    assert _targets(response) == expected
    # The filters stay in the form (GET parameters), so the back button returns to them.
    for name, value in filters.items():
        assert response.context["form"][name].value() == value


def test_dates_are_china_dates(office_client, organisation):
    _append_at(organisation, "dated", _at(1, 23, 30))  # 15:30 UTC on 1 March
    _append_at(organisation, "dated", _at(2, 0, 30))  # 16:30 UTC on 1 March
    _append_at(organisation, "dated", _at(3, 0, 0))

    response = office_client.get(
        EVENTS, {"action": "dated", "date_from": "2026-03-02", "date_to": "2026-03-02"}
    )

    assert [r["at"] for r in _rows(response)] == [_at(2, 0, 30)]
    assert "2026-03-02 00:30:00" in response.content.decode()
    wider = office_client.get(EVENTS, {"action": "dated", "date_from": "2026-03-01"})
    assert [r["at"] for r in _rows(wider)] == [_at(3, 0), _at(2, 0, 30), _at(1, 23, 30)]


def test_bad_filters_get_chinese_messages_and_are_kept(office_client, organisation):
    record(organisation, "edit")

    response = office_client.get(
        EVENTS, {"ip": "not-an-ip", "date_from": "2026-03-05", "date_to": "2026-03-01"}
    )

    form = response.context["form"]
    assert form.errors["ip"] == ["请输入有效的 IPv4 或 IPv6 地址。"]
    assert form.errors["date_to"] == ["截止日期不能早于起始日期。"]
    assert _rows(response) == []
    assert 'value="not-an-ip"' in response.content.decode()


def test_an_application_s_step_reads_in_chinese(office_client, call, applicant):
    application = factories.make_application(call, applicant)
    applications.submit(application, by=applicant)

    response = office_client.get(EVENTS, {"action": "submit"})

    (row,) = _rows(response)
    assert (row["action"], row["target"], row["from_state"], row["to_state"]) == (
        "提交申报",
        "申报项目",
        "草稿",
        "已提交",
    )
    assert "草稿 → 已提交" in response.content.decode()


# --- Pages and queries ----------------------------------------------------------------------


def _many(n, actor):
    record_many([event("test.thing", f"n{i:03d}", "bulk", actor=actor) for i in range(n)])


def test_pages_of_fifty_newest_first(office_client, applicant):
    _many(120, applicant)

    first = office_client.get(EVENTS, {"action": "bulk"})
    last = office_client.get(EVENTS, {"action": "bulk", "page": 3})

    assert len(_rows(first)) == 50
    assert _targets(first)[:2] == ["n119", "n118"]
    assert _targets(last) == [f"n{i:03d}" for i in range(19, -1, -1)]
    assert "action=bulk&amp;page=2" in first.content.decode()


@pytest.mark.parametrize("n", [3, 120])
def test_the_number_of_queries_does_not_grow_with_the_rows(
    office_client, applicant, django_assert_max_num_queries, n
):
    _many(n, applicant)
    # Session, user, groups, menu permissions, unread count; then one count, one page.
    with django_assert_max_num_queries(10):
        response = office_client.get(EVENTS, {"action": "bulk"})
    assert len(_rows(response)) == min(n, 50)


# --- The chain ---------------------------------------------------------------------------


def test_verify_reports_an_intact_then_a_tampered_chain(office_client, organisation):
    changed = record(organisation, "edit", reason="原样")
    record(organisation, "edit", reason="之后")

    intact = office_client.post(VERIFY + "?action=edit", follow=True)

    assert intact.redirect_chain[-1][0] == EVENTS + "?action=edit"
    assert intact.context["chain_status"]["problems"] == []
    assert "审计链完整" in intact.content.decode()

    Event.objects.filter(pk=changed.pk).update(reason="改过")
    broken = office_client.post(VERIFY, follow=True)

    problem = f"序号 {changed.seq} 的内容已被改动（哈希不符）"
    assert broken.context["chain_status"]["problems"] == [problem]
    assert problem in broken.content.decode()


def test_verify_is_post_only(office_client):
    assert office_client.get(VERIFY).status_code == 405


# --- The export (documents/exports.py, the way every list exports) -----------------------------


def _export(client, filters=None):
    return client.post(EXPORT + (f"?{urlencode(filters)}" if filters else ""))


def _sheet(content):
    return list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))


def _direct(response):
    assert response.status_code == 200
    return _sheet(b"".join(response.streaming_content))


def test_export_has_the_filtered_rows_and_is_audited(
    office_client, office, applicant, organisation
):
    _append_at(organisation, "edit", _at(2, 0, 30), actor=applicant, reason="=1+1")
    _append_at(organisation, "edit", _at(3, 9), actor=applicant, data={"字段": ["名称"]})
    record(organisation, "other", actor=applicant)
    filters = {"action": "edit", "user": applicant.username, "date_from": "2026-03-01"}

    response = _export(office_client, filters)

    assert response["Content-Disposition"].startswith("attachment")
    header, *rows = _direct(response)
    assert header[:3] == ("时间（北京时间）", "序号", "账号")
    assert "详情（JSON）" in header
    column = {name: i for i, name in enumerate(header)}
    assert [r[column["时间（北京时间）"]] for r in rows] == [
        dt.datetime(2026, 3, 3, 9, 0),
        dt.datetime(2026, 3, 2, 0, 30),
    ]
    assert rows[1][column["原因"]] == "=1+1"  # text, not a formula
    assert json.loads(rows[0][column["详情（JSON）"]]) == {"字段": ["名称"]}
    assert rows[0][column["账号"]] == applicant.username
    assert rows[0][column["对象类型"]] == "申报单位"

    exported = Event.objects.get(action="export_list")
    assert (exported.actor, exported.role) == (office, "office")
    assert (exported.data["listing"], exported.data["rows"]) == ("audit", 2)
    assert exported.data["filters"] == (
        f"起始日期：2026-03-01；用户（账号或姓名）：{applicant.username}；动作：edit"
    )


def test_export_with_no_filters_has_every_event(office_client, organisation):
    record(organisation, "edit")
    before = Event.objects.count()

    _header, *rows = _direct(_export(office_client))

    assert len(rows) == before


def test_the_export_follows_the_chosen_sort(office_client, organisation, applicant):
    _append_at(organisation, "edit", _at(2, 9), actor=applicant)
    _append_at(organisation, "edit", _at(3, 9), actor=applicant)

    _header, *rows = _direct(_export(office_client, {"action": "edit", "sort": "at"}))

    assert [r[0] for r in rows] == [dt.datetime(2026, 3, 2, 9), dt.datetime(2026, 3, 3, 9)]


def test_a_large_export_is_built_in_the_background(office_client, applicant, settings):
    settings.EXPORT_DIRECT_MAX_ROWS = 5
    _many(6, applicant)

    response = _export(office_client, {"action": "bulk"})

    exported = ListExport.objects.get()
    assert response["Location"] == reverse("documents:export", args=[exported.pk])
    download = office_client.get(reverse("documents:export_download", args=[exported.pk]))
    _header, *rows = _sheet(b"".join(download.streaming_content))
    assert len(rows) == 6
    assert Event.objects.get(action="export_list").data["rows"] == 6


def test_export_with_bad_filters_is_refused(office_client):
    response = office_client.post(f"{EXPORT}?ip=999.1.1.1", follow=True)

    assert "筛选条件有误" in response.content.decode()
    assert response.context["form"].errors["ip"]
    assert not Event.objects.filter(action="export_list").exists()
