"""Drafting, changing and publishing the notice."""

import datetime as dt

import pytest
from django.urls import reverse

from keyprojects.applications.workflow import TransitionRefused
from keyprojects.audit.models import Event
from keyprojects.notices import publication
from keyprojects.notices.models import PublicNotice
from keyprojects.notices.workdays import working_days_between

from ..factories import PASSWORD
from .conftest import notice_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(client, office):
    client.login(username=office.username, password=PASSWORD)
    return client


def form_data(call, version="", **overrides):
    values = notice_values(call, **overrides)
    return {**{k: str(v) for k, v in values.items()}, "version": version}


def test_the_proposed_notice_runs_five_working_days(office_client, call):
    page = office_client.get(reverse("notices:edit_notice", args=[call.slug])).content.decode()
    initial = publication.initial_values(call)
    assert working_days_between(initial["starts_on"], initial["ends_on"]) == 5
    assert initial["starts_on"] > publication.today()
    assert f'value="{initial["ends_on"]:%Y-%m-%d}"' in page
    assert "系统不掌握法定节假日" in page


def test_create_then_edit_with_events(office_client, call, listed):
    response = office_client.post(reverse("notices:edit_notice", args=[call.slug]), form_data(call))
    notice = PublicNotice.objects.get(call=call)
    assert response.status_code == 302
    assert response["Location"] == reverse("notices:manage", args=[notice.pk])
    office_client.post(
        reverse("notices:edit_notice", args=[call.slug]),
        form_data(call, version=notice.version, contact_phone="025-83001234"),
    )
    notice.refresh_from_db()
    assert notice.contact_phone == "025-83001234"
    edit = Event.objects.get(target_id=str(notice.pk), action="edit")
    assert edit.data["fields"] == ["contact_phone"]


def test_bad_input_keeps_what_was_typed(office_client, call):
    today = publication.today()
    response = office_client.post(
        reverse("notices:edit_notice", args=[call.slug]),
        form_data(
            call,
            title="我的标题",
            contact_phone="电话",
            ends_on=today - dt.timedelta(days=1),
        ),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "公示截止日期不能早于开始日期。" in page
    assert "请填写有效的电话号码" in page
    assert 'value="我的标题"' in page
    assert not PublicNotice.objects.exists()


def test_a_stale_edit_is_refused(office_client, call, office):
    notice = publication.save_notice(call, notice_values(call), by=office)
    seen = notice.version
    publication.save_notice(
        call, notice_values(call, title="同事改过的标题"), by=office, expected_version=seen
    )
    response = office_client.post(
        reverse("notices:edit_notice", args=[call.slug]),
        form_data(call, version=seen, title="我的标题"),
    )
    page = response.content.decode()
    assert "已被他人修改" in page and 'value="我的标题"' in page
    notice.refresh_from_db()
    assert notice.title == "同事改过的标题"


def test_publish_needs_selected_projects_and_a_future_start(call, make_passed, tiers, office):
    notice = publication.save_notice(
        call, notice_values(call, starts_on=publication.today() - dt.timedelta(days=1)), by=office
    )
    with pytest.raises(TransitionRefused) as refused:
        publication.publish(notice, by=office)
    assert refused.value.problems == [
        "公示开始日期已过，请改为今天或以后的日期。",
        "还没有入选项目，不能发布公示。",
    ]
    assert PublicNotice.objects.get().state == "draft"


def test_publish_from_the_page(office_client, call, listed, office):
    notice = publication.save_notice(call, notice_values(call), by=office)
    response = office_client.post(
        reverse("notices:publish", args=[notice.pk]), {"version": notice.version}, follow=True
    )
    assert "公示已发布" in response.content.decode()
    notice.refresh_from_db()
    assert notice.state == "published" and notice.published_at is not None
    event = Event.objects.get(target_id=str(notice.pk), action="publish")
    assert (event.from_state, event.to_state, event.actor) == ("draft", "published", office)
    # Once published, the start date stays; other fields may still change.
    with pytest.raises(TransitionRefused, match="开始日期不能再修改"):
        publication.save_notice(
            call,
            notice_values(call, starts_on=notice.starts_on + dt.timedelta(days=1)),
            by=office,
        )
