"""The office's list of recommended applications: search and sorting in the URL, the way
back from an application to the same list, and the export with each row's flags."""

from django.urls import reverse

from keyprojects.applications.models import Attachment
from keyprojects.applications.workflow import Status
from keyprojects.core.clock import china_time
from keyprojects.selection.models import FormalCheck

from ..exports import _data, assert_flat_queries, export, page_names, sheet_rows

LIST = "selection_overview"
STAGES = [Status.RECOMMENDED, Status.CHECK_PASSED]


def add(call, office, n, users=None):
    users = users or _data.organisations_with_users(2, seats=_data.county_seats()[:10])
    return _data.applications_at_stages(call, users, n, office=office, statuses=STAGES)


def overview(client, call, **params):
    return client.get(reverse("selection:overview", args=[call.slug]), params)


def test_search_and_sort_and_the_export_follows_them(client, call, office):
    rows = add(call, office, 6)
    client.force_login(office)
    params = {"q": rows[0].organisation.name, "sort": "name"}
    wanted = sorted(a.name for a in rows if a.organisation_id == rows[0].organisation_id)

    page = overview(client, call, **params)
    exported = sheet_rows(export(client, LIST, {"call": call.slug, **params}))

    assert page_names(page, [a.name for a in rows]) == wanted
    assert [row["项目名称"] for row in exported] == wanted


def test_the_way_to_an_application_and_back_keeps_the_list(client, call, office):
    rows = add(call, office, 2)
    client.force_login(office)

    page = overview(client, call, state="pending", sort="-submitted").content.decode()

    back = "back=state%3Dpending%26sort%3D-submitted"
    assert f"{reverse('selection:check', args=[rows[0].pk])}?{back}" in page


def test_the_export_carries_the_flags(client, call, office):
    rows = add(call, office, 2)
    Attachment.objects.filter(application=rows[0]).delete()
    client.force_login(office)

    exported = {r["项目名称"]: r for r in sheet_rows(export(client, LIST, {"call": call.slug}))}

    assert exported[rows[0].name]["缺少必传附件"] == "是"
    assert exported[rows[1].name]["缺少必传附件"] is None
    assert exported[rows[1].name]["审查状态"] == "已通过"
    assert exported[rows[0].name]["审查状态"] == "待审查"


def test_who_checked_and_when_on_the_page_and_in_the_export(client, call, office):
    office.full_name = "形式审查员甲"
    office.save()
    pending, checked = add(call, office, 2)
    client.force_login(office)

    page = overview(client, call, sort="name").content.decode()
    exported = {r["项目名称"]: r for r in sheet_rows(export(client, LIST, {"call": call.slug}))}

    at = FormalCheck.objects.get(application=checked).checked_at
    shown = f'<div class="small text-secondary">形式审查员甲 {china_time(at):%m-%d %H:%M}</div>'
    assert page.count('<div class="small text-secondary">') == 1  # the unchecked row: nobody
    assert shown in page
    assert exported[checked.name]["审查人"] == "形式审查员甲"
    assert exported[checked.name]["审查时间"] is not None
    assert (exported[pending.name]["审查人"], exported[pending.name]["审查时间"]) == (None, None)
    # without a full name, the login name
    office.full_name = ""
    office.save()
    exported = {r["项目名称"]: r for r in sheet_rows(export(client, LIST, {"call": call.slug}))}
    assert exported[checked.name]["审查人"] == office.username


def test_the_page_and_the_export_run_as_many_queries_with_30_rows_as_with_3(client, call, office):
    users = _data.organisations_with_users(3, seats=_data.county_seats()[:10])
    add(call, office, 3, users)
    client.force_login(office)

    def both():
        overview(client, call, sort="-investment", q="智慧")
        return sheet_rows(export(client, LIST, {"call": call.slug, "sort": "-investment"}))

    exported = assert_flat_queries(both, lambda: add(call, office, 27, users))

    assert len(exported) == 30
