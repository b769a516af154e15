"""The application window in China Standard Time, whatever the server clock's zone."""

import datetime as dt
import os
import time

import pytest
import time_machine
from django.urls import reverse

from keyprojects.applications import domain
from keyprojects.applications.workflow import Status
from keyprojects.calls.domain import WindowClosed
from keyprojects.calls.reference import call_spec, load_call

from ..factories import PASSWORD, make_application

UTC = dt.UTC
# 2020: "6月29日至7月20日，到期系统关闭" — closes at 2020-07-21 00:00 CST = 2020-07-20 16:00 UTC.
CLOSE_UTC = dt.datetime(2020, 7, 20, 16, 0, 0, tzinfo=UTC)
OPEN_UTC = dt.datetime(2020, 6, 28, 16, 0, 0, tzinfo=UTC)


@pytest.fixture
def server_clock_in_utc():
    """Run the server process with its clock zone set to UTC."""
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if previous is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = previous
    time.tzset()


@pytest.fixture
def call_2020(regions):
    return load_call(call_spec())


@pytest.fixture
def draft_2020(call_2020, applicant):
    with time_machine.travel(dt.datetime(2020, 7, 1, 2, 0, tzinfo=UTC), tick=False):
        return make_application(call_2020, applicant)


def test_2020_call_has_the_notice_dates(call_2020):
    assert call_2020.window_opens_at == OPEN_UTC
    assert call_2020.window_closes_at == CLOSE_UTC
    assert call_2020.last_day == dt.date(2020, 7, 20)


@pytest.mark.usefixtures("server_clock_in_utc")
@pytest.mark.parametrize(
    ("instant", "accepted"),
    [
        (CLOSE_UTC - dt.timedelta(seconds=1), True),  # 2020-07-20 23:59:59 CST
        (CLOSE_UTC, False),  # 2020-07-21 00:00:00 CST
    ],
)
def test_submit_at_the_close(client, applicant, draft_2020, instant, accepted):
    client.login(username=applicant.username, password=PASSWORD)
    with time_machine.travel(instant, tick=False):
        response = client.post(reverse("applications:submit", args=[draft_2020.pk]), follow=True)
    draft_2020.refresh_from_db()
    assert (draft_2020.status == Status.SUBMITTED) is accepted
    if not accepted:
        assert "2020-07-20 24:00" in response.content.decode()


@pytest.mark.usefixtures("server_clock_in_utc")
def test_nothing_is_written_before_the_window_opens(call_2020, applicant):
    with (
        time_machine.travel(OPEN_UTC - dt.timedelta(seconds=1), tick=False),
        pytest.raises(WindowClosed, match="尚未开始"),
    ):
        domain.start_application(call_2020, applicant)
    with time_machine.travel(OPEN_UTC, tick=False):
        assert domain.start_application(call_2020, applicant).status == Status.DRAFT


@pytest.mark.usefixtures("server_clock_in_utc")
def test_form_left_open_across_the_deadline_is_refused_and_draft_kept(
    client, applicant, draft_2020
):
    client.login(username=applicant.username, password=PASSWORD)
    url = reverse("applications:edit", args=[draft_2020.pk])
    with time_machine.travel(CLOSE_UTC - dt.timedelta(minutes=5), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(CLOSE_UTC + dt.timedelta(seconds=3), tick=False):
        response = client.post(
            reverse("applications:autosave", args=[draft_2020.pk]),
            {"version": draft_2020.version, "name": "截止后才改的名字"},
        )
        assert response.status_code == 403
        assert "已于 2020-07-20 24:00" in response.content.decode()
        # After the close the edit page is read-only: it sends the user to the record.
        assert client.get(url).url == reverse("applications:detail", args=[draft_2020.pk])
    draft_2020.refresh_from_db()
    assert draft_2020.name == "玄武区城市运行一网统管平台"
    assert draft_2020.status == Status.DRAFT


def test_withdraw_needs_the_window_open(draft_2020, applicant):
    with time_machine.travel(CLOSE_UTC - dt.timedelta(hours=1), tick=False):
        domain.submit(draft_2020, by=applicant)
    with time_machine.travel(CLOSE_UTC, tick=False), pytest.raises(WindowClosed):
        domain.withdraw(draft_2020, by=applicant)
    draft_2020.refresh_from_db()
    assert draft_2020.status == Status.SUBMITTED
