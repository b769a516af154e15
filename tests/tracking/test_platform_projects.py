"""The platform's own selected projects join tracking once the final list is settled, once."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from keyprojects.notices import publication
from keyprojects.tracking import domain, queries, workflow
from keyprojects.tracking.models import TrackedProject

from ..factories import make_user, selected_maker
from .conftest import FILLED, open_round

pytestmark = pytest.mark.django_db


def publish(call, office):
    today = publication.today()
    values = {
        "title": "拟入选项目公示",
        "text": "现将拟入选项目予以公示。",
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=6),
        "contact_name": "省信息化办",
        "contact_phone": "025-83000000",
    }
    notice = publication.save_notice(call, values, by=office)
    return publication.publish(notice, by=office)


@pytest.fixture
def selected(call, office):
    make = selected_maker(call, office)
    return [
        make("玄武区城市大脑"),
        make("苏州工业互联网平台", "850.50", "100.25", "digital_economy", "320505"),
    ]


def test_nothing_is_tracked_before_the_final_list(call, office, selected):
    assert domain.track_selected(call, by=office) == []
    publish(call, office)
    assert domain.track_selected(call, by=office) == []  # published, not yet final
    assert not TrackedProject.objects.exists()


def test_selected_projects_are_tracked_once_with_their_owner_and_city(call, office, selected):
    notice = publish(call, office)
    with time_machine.travel(notice.closes_at, tick=False):
        publication.finalise(notice, by=office)
    added = domain.track_selected(call, by=office)
    assert len(added) == 2
    assert domain.track_selected(call, by=office) == []  # idempotent
    assert domain.track_all_selected(by=office) == 0
    suzhou = TrackedProject.objects.get(name="苏州工业互联网平台")
    assert suzhou.source == "platform"
    assert suzhou.application == selected[1]
    assert suzhou.organisation == selected[1].organisation
    assert suzhou.city.name == "苏州市"  # the seat 320505 is a district of 苏州
    assert str(suzhou.informatisation_investment) == "750.25"
    assert suzhou.year == call.year
    assert suzhou.category_name == "数字经济类"


def test_earlier_key_projects_for_the_continuation_check(call, office, selected):
    notice = publish(call, office)
    with time_machine.travel(notice.closes_at, tick=False):
        publication.finalise(notice, by=office)
    domain.track_selected(call, by=office)
    assert not queries.earlier_key_projects(call.year).exists()
    [project] = queries.earlier_key_projects(call.year + 1).filter(name="玄武区城市大脑")
    assert project.applicant_credit_code == selected[0].organisation.credit_code
    assert project.city_name == "南京市"


def test_reports_of_platform_projects_go_to_the_applications_authority(call, office, selected):
    notice = publish(call, office)
    with time_machine.travel(notice.closes_at, tick=False):
        publication.finalise(notice, by=office)
    domain.track_all_selected(by=office)
    round_ = open_round(office)
    report = round_.reports.get(project__application=selected[1])
    owner = selected[1].organisation.users.first()
    submitted = workflow.submit(report, FILLED, by=owner, expected_version=report.version)
    assert submitted.authority == selected[1].authority
    reviewer = make_user(None, authority=selected[1].authority)
    assert reviewer.has_perm("tracking.comment_report", submitted)


def test_office_button_tracks_the_selected(client, call, office, selected):
    notice = publish(call, office)
    with time_machine.travel(notice.closes_at, tick=False):
        publication.finalise(notice, by=office)
    client.force_login(office)
    response = client.post(reverse("tracking:sync_platform"), follow=True)
    assert "已纳入 2 个平台遴选的重点工程。" in response.content.decode()
    assert TrackedProject.objects.filter(source="platform").count() == 2
