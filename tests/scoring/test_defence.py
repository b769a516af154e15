"""The defence round end to end (shortlist, panel, slots, notification, the slot PDF, panel
scores and paper scores) and the combined meeting's final list and minutes."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from keyprojects.audit.models import Event
from keyprojects.notifications.models import Notification
from keyprojects.scoring import defence, domain
from keyprojects.scoring.aggregation import ranking
from keyprojects.scoring.models import DefencePanel, DefenceSlot, ReviewRound, Score

from .helpers import full_marks, score, sign_in_expert

pytestmark = pytest.mark.django_db

PANEL_DAY = dt.date(2020, 9, 8)


@pytest.fixture
def defence_round(online, experts, office):
    """Online round scored and closed; the defence round (planned) shortlists the best two."""
    applications = list(online.call.applications.order_by("name"))
    for application, share in zip(applications, ["0.9", "0.8", "0.6"], strict=True):
        for expert in experts:
            score(online, application, expert, full_marks(online.rubric, share))
    domain.change_round(online, "close", by=office)
    round_ = domain.create_round(online.call, kind=ReviewRound.Kind.DEFENCE, order=2, by=office)
    defence.set_shortlist(round_, [a.pk for a in applications[:2]], by=office)
    return round_


@pytest.fixture
def panel(defence_round, experts, office):
    return defence.create_panel(
        defence_round,
        category=defence_round.call.categories.get(code="digital_governance"),
        name="数字治理第一组",
        place="南京市北京西路16号苏兴大厦902室",
        date=PANEL_DAY,
        experts=experts[:3],
        by=office,
    )


@pytest.fixture
def slot(panel, office, django_capture_on_commit_callbacks):
    application = panel.round.entries.order_by("application__name").first().application
    with django_capture_on_commit_callbacks(execute=True):
        return defence.add_slot(panel, application, start=dt.time(9), end=dt.time(9, 30), by=office)


def test_the_office_shortlists_from_the_online_ranking(client, online, office, experts):
    applications = list(online.call.applications.order_by("name"))
    for application in applications:
        score(online, application, experts[0], full_marks(online.rubric, "0.8"))
    domain.change_round(online, "close", by=office)
    round_ = domain.create_round(online.call, kind="defence", order=2, by=office)
    client.force_login(office)
    url = reverse("scoring:shortlist", args=[round_.pk])
    page = client.get(url).content.decode()
    assert all(a.name in page for a in applications) and "并列第 1 名" in page
    client.post(url, {"ids": [str(applications[0].pk), "not-a-uuid"]})
    assert list(round_.entries.values_list("application", flat=True)) == [applications[0].pk]
    assert Event.objects.filter(target_id=str(round_.pk), action="shortlist").exists()


def test_a_slot_notifies_the_applicant_without_naming_the_panel(slot, experts, applicant):
    note = Notification.objects.get(user=applicant, url=reverse("scoring:my_slots"))
    assert "入围答辩评审" in note.text and "2020年09月08日 09:00—09:30" in note.text
    assert "苏兴大厦902室" in note.text
    assert all(e.name not in note.text for e in experts)
    assert any(applicant.email in m.to for m in mail.outbox)
    assert Event.objects.filter(target_id=str(slot.pk), action="schedule").exists()


def test_the_applicant_downloads_its_slot_as_pdf(client, slot, applicant, experts):
    client.force_login(applicant)
    page = client.get(reverse("scoring:my_slots")).content.decode()
    assert slot.application.name in page
    response = client.get(reverse("scoring:slot_pdf", args=[slot.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "答辩评审通知" in text and "数字治理第一组" in text and "09:00" in text
    assert all(e.name not in text for e in experts)


def test_only_that_applicant_and_the_office_get_the_slot(client, slot, stranger, office, colleague):
    url = reverse("scoring:slot_pdf", args=[slot.pk])
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert slot.application.name not in client.get(reverse("scoring:my_slots")).content.decode()
    client.force_login(colleague)  # another account of the same organisation
    assert client.get(url).status_code == 200
    client.force_login(office)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302


def test_slots_of_a_panel_do_not_overlap(panel, slot, office):
    other = panel.round.entries.exclude(application=slot.application).get().application
    with pytest.raises(domain.ScoringRefused, match="时间重叠"):
        defence.add_slot(panel, other, start=dt.time(9, 15), end=dt.time(9, 45), by=office)
    with pytest.raises(domain.ScoringRefused, match="结束时间应晚于开始时间"):
        defence.add_slot(panel, other, start=dt.time(10), end=dt.time(10), by=office)
    assert defence.add_slot(panel, other, start=dt.time(9, 30), end=dt.time(10), by=office)


def test_only_shortlisted_applications_get_a_slot(panel, office, call):
    outside = call.applications.exclude(pk__in=panel.round.entries.values("application")).get()
    with pytest.raises(domain.ScoringRefused, match="不在入围名单中"):
        defence.add_slot(panel, outside, start=dt.time(14), end=dt.time(14, 30), by=office)


def test_a_scheduled_application_stays_on_the_shortlist(slot, office):
    with pytest.raises(domain.ScoringRefused, match="已安排答辩"):
        defence.set_shortlist(slot.round, [], by=office)


def test_cancelling_a_slot_tells_the_applicant(slot, office, applicant):
    defence.cancel_slot(slot, by=office, reason="评审组调整")
    assert not DefenceSlot.objects.exists()
    assert Notification.objects.filter(user=applicant, text__contains="已取消").exists()


def test_panel_experts_score_during_the_meeting(client, slot, experts, office):
    round_ = domain.change_round(slot.round, "open", by=office)
    url = reverse("scoring:task", args=[round_.pk, slot.application.pk])
    member, outsider = experts[0], experts[4]
    page = sign_in_expert(client, member).get(reverse("scoring:home")).content.decode()
    assert slot.application.name in page and "苏兴大厦902室" in page
    assert client.get(url).status_code == 200
    assert sign_in_expert(client, outsider).get(url).status_code == 404
    score(round_, slot.application, member, full_marks(round_.rubric, "0.95"))
    with pytest.raises(PermissionDenied):
        score(round_, slot.application, outsider, full_marks(round_.rubric, "0.1"))


def test_the_secretary_enters_a_paper_score_recorded_as_such(client, slot, experts, office):
    round_ = domain.change_round(slot.round, "open", by=office)
    expert = experts[1]
    url = reverse("scoring:paper_score", args=[slot.pk, expert.pk])
    client.force_login(office)
    fields = {f"item_{c['code']}": str(c["max"]) for c in round_.rubric}
    bad = client.post(url, {"version": 0, "action": "submit", **fields, "item_demand": "30"})
    assert bad.status_code == 400 and 'value="30"' in bad.content.decode()
    response = client.post(url, {"version": 0, "action": "submit", **fields, "opinion": "纸质表"})
    assert response.status_code == 302
    entered = Score.objects.get(round=round_, expert=expert)
    assert (entered.source, entered.saved_by, entered.state, entered.total) == (
        "paper",
        office,
        "submitted",
        Decimal("100.00"),
    )
    event = Event.objects.get(target_id=str(entered.pk), action="submit")
    assert event.actor == office and event.data["entered_for"] == expert.name
    page = sign_in_expert(client, expert).get(
        reverse("scoring:task", args=[round_.pk, slot.application.pk])
    )
    assert "由省信息化办根据纸质评分表代录" in page.content.decode()


def test_paper_scores_only_for_panel_members(client, slot, experts, office):
    domain.change_round(slot.round, "open", by=office)
    client.force_login(office)
    url = reverse("scoring:paper_score", args=[slot.pk, experts[4].pk])
    assert client.get(url).status_code == 404


def test_the_defence_round_ranks_when_scored(slot, experts, office):
    round_ = domain.change_round(slot.round, "open", by=office)
    for expert, share in zip(experts[:3], ["0.9", "0.92", "0.94"], strict=True):
        score(round_, slot.application, expert, full_marks(round_.rubric, share))
    rows = ranking(round_.call)
    assert [(r.application, r.score, r.scores_count, r.assigned_count) for r in rows[:1]] == [
        (slot.application, Decimal("92.00"), 3, 3)
    ]
    # The other shortlisted application has no slot yet: listed, unscored, nobody assigned.
    assert (rows[1].score, rows[1].assigned_count) == (None, 0)


# --- Combined meeting -------------------------------------------------------------------


@pytest.fixture
def combined(slot, experts, office):
    round_ = domain.change_round(slot.round, "open", by=office)
    for expert in experts[:3]:
        score(round_, slot.application, expert, full_marks(round_.rubric, "0.9"))
    domain.change_round(round_, "close", by=office)
    meeting = domain.create_round(round_.call, kind="combined", order=3, by=office)
    return domain.change_round(meeting, "open", by=office)


def test_the_combined_meeting_records_its_list_and_minutes(client, combined, slot, office):
    client.force_login(office)
    url = reverse("scoring:combined", args=[combined.pk])
    assert slot.application.name in client.get(url).content.decode()
    minutes = "会议认为该项目示范效应突出，列为标志性工程。"
    fields = {
        "version": combined.version,
        "minutes": minutes,
        f"tier_{slot.application.pk}": "flagship",
        f"note_{slot.application.pk}": "全票通过",
    }
    assert client.post(url, fields).status_code == 302
    combined.refresh_from_db()
    assert combined.minutes == minutes
    entry = combined.entries.get()
    assert (entry.application, entry.tier, entry.note) == (slot.application, "flagship", "全票通过")
    # A second tab, still on the old version, is refused and keeps its typed minutes.
    stale = client.post(url, {**fields, "minutes": "另一份纪要草稿"})
    assert stale.status_code == 409
    assert "另一份纪要草稿" in stale.content.decode()
    combined.refresh_from_db()
    assert combined.minutes == minutes
    # Closing the round locks the list.
    domain.change_round(combined, "close", by=office)
    closed = client.post(url, {**fields, "version": combined.version, "minutes": "改"})
    assert closed.status_code == 409 and "本轮已结束" in closed.content.decode()


def test_only_tiers_of_known_applications_are_recorded(combined, office, call):
    outside = call.applications.order_by("name").last()
    defence.save_final_list(
        combined, {outside.pk: ("key", "")}, "", by=office, expected_version=combined.version
    )
    assert not combined.entries.exists()


def test_a_panel_needs_an_expert_and_a_category_of_the_call(defence_round, office):
    with pytest.raises(domain.ScoringRefused, match="至少一位专家"):
        defence.create_panel(
            defence_round,
            category=defence_round.call.categories.first(),
            name="空组",
            place="x",
            date=PANEL_DAY,
            experts=[],
            by=office,
        )
    assert not DefencePanel.objects.exists()


def test_a_refused_panel_form_comes_back_as_typed_with_reasons_in_chinese(
    client, defence_round, office
):
    client.force_login(office)
    category = defence_round.call.categories.get(code="digital_governance")
    response = client.post(
        reverse("scoring:panel_create", args=[defence_round.pk]),
        {"category": category.pk, "name": "数字治理第二组", "place": "苏兴大厦", "date": "9月8日"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="数字治理第二组"' in page and 'value="苏兴大厦"' in page  # kept as typed
    assert "请按“年-月-日”填写日期。" in page and "请为评审组选择至少一位专家。" in page
    assert "评审组未建立" in page
    assert not DefencePanel.objects.exists()
