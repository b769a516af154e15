"""Who may open what: every scoring URL, every kind of user.

Actors: the expert assigned to application A (online round, and on A's defence panel),
an expert of the pool not assigned to A, A's applicant, an applicant of another
organisation, a local reviewer, the provincial office, and nobody (anonymous).
Anything a user may not touch is "not found" (404); anonymous users go to the login page.

Every URL of keyprojects.scoring.urls is in ROUTES; a new URL fails
test_every_scoring_url_is_in_the_table until it gets an entry. POSTs by refused users
must change nothing; the office acts last in each route, since its POSTs change state.
"""

import dataclasses
import datetime as dt

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from keyprojects.audit.models import Event
from keyprojects.scoring import defence, domain, urls
from keyprojects.scoring.models import ReviewRound, Score

from ..factories import make_organisation, make_user
from .helpers import full_marks, make_expert, score

pytestmark = pytest.mark.django_db

OK, HIDDEN, LOGIN = "ok", "404", "login"
ACTORS = ["assigned", "unassigned", "applicant", "stranger", "reviewer", "anonymous", "office"]


@dataclasses.dataclass
class World:
    online: ReviewRound
    defence: ReviewRound
    combined: ReviewRound
    application: object
    attachment: object
    panel: object
    slot: object
    score: Score
    assigned: object  # Expert
    users: dict


@pytest.fixture
def world(online, experts, office, applicant, reviewer, regions):
    call = online.call
    application = call.applications.get(name="玄武区城市运行一网统管平台")
    assigned, other = experts[0], experts[1]
    outsider = make_expert("外人")  # in the pool, assigned to nothing
    submitted = score(online, application, other, full_marks(online.rubric, "0.8"))
    defence_round = domain.create_round(call, kind="defence", order=2, by=office)
    defence.set_shortlist(defence_round, [application.pk], by=office)
    panel = defence.create_panel(
        defence_round,
        category=application.category,
        name="第一评审组",
        place="苏兴大厦902室",
        date=dt.date(2020, 9, 8),
        experts=[assigned],
        by=office,
    )
    slot = defence.add_slot(panel, application, start=dt.time(9), end=dt.time(9, 30), by=office)
    combined = domain.create_round(call, kind="combined", order=3, by=office)
    users = {
        "assigned": assigned.user,
        "unassigned": outsider.user,
        "applicant": applicant,
        "stranger": make_user(make_organisation(seat="320505")),
        "reviewer": reviewer,
        "anonymous": None,
        "office": office,
    }
    return World(
        online,
        defence_round,
        combined,
        application,
        application.attachments.get(),
        panel,
        slot,
        submitted,
        assigned,
        users,
    )


def expert_only(w):
    return {"assigned": OK}


def office_only(w):
    return {"office": OK}


@dataclasses.dataclass
class Route:
    name: str
    method: str
    args: object  # World -> list
    allowed: object  # World -> {actor: OK}
    data: object = None  # World -> dict


ROUTES = [
    Route("home", "get", lambda w: [], lambda w: {"assigned": OK, "unassigned": OK}),
    Route("task", "get", lambda w: [w.online.pk, w.application.pk], expert_only),
    Route(
        "task",
        "post",
        lambda w: [w.online.pk, w.application.pk],
        expert_only,
        lambda w: {"version": 0, "action": "save", "item_leadership": "10"},
    ),
    Route(
        "attachment", "get", lambda w: [w.online.pk, w.application.pk, w.attachment.pk], expert_only
    ),
    Route("my_slots", "get", lambda w: [], lambda w: {"applicant": OK, "stranger": OK}),
    Route("slot_pdf", "get", lambda w: [w.slot.pk], lambda w: {"applicant": OK, "office": OK}),
    Route("office", "get", lambda w: [], office_only),
    Route("call", "get", lambda w: [w.online.call.slug], office_only),
    Route(
        "call",
        "post",
        lambda w: [w.online.call.slug],
        office_only,
        lambda w: {"kind": "online", "order": 9},
    ),
    Route("round", "get", lambda w: [w.online.pk], office_only),
    Route(
        "round_state", "post", lambda w: [w.defence.pk], office_only, lambda w: {"action": "open"}
    ),
    Route(
        "round_deadline",
        "post",
        lambda w: [w.online.pk],
        office_only,
        lambda w: {"deadline": "2020-09-01T17:00"},
    ),
    Route("remind", "post", lambda w: [w.online.pk], office_only, lambda w: {}),
    Route("ranking", "get", lambda w: [w.online.pk], office_only),
    Route("score", "get", lambda w: [w.score.pk], office_only),
    Route(
        "score_reopen", "post", lambda w: [w.score.pk], office_only, lambda w: {"reason": "复核"}
    ),
    Route("shortlist", "get", lambda w: [w.defence.pk], office_only),
    Route(
        "shortlist",
        "post",
        lambda w: [w.defence.pk],
        office_only,
        lambda w: {"ids": [str(w.application.pk)]},
    ),
    Route(
        "panel_create",
        "post",
        lambda w: [w.defence.pk],
        office_only,
        lambda w: {"name": "第二组", "place": "x", "date": "2020-09-09"},
    ),
    Route("panel", "get", lambda w: [w.panel.pk], office_only),
    Route(
        "panel",
        "post",
        lambda w: [w.panel.pk],
        office_only,
        lambda w: {"application": str(w.application.pk), "start": "10:00", "end": "10:30"},
    ),
    Route("slot_cancel", "post", lambda w: [w.slot.pk], office_only, lambda w: {}),
    Route("paper_score", "get", lambda w: [w.slot.pk, w.assigned.pk], office_only),
    Route(
        "paper_score",
        "post",
        lambda w: [w.slot.pk, w.assigned.pk],
        office_only,
        lambda w: {"version": 0, "action": "save"},
    ),
    Route("combined", "get", lambda w: [w.combined.pk], office_only),
    Route(
        "combined",
        "post",
        lambda w: [w.combined.pk],
        office_only,
        lambda w: {"version": w.combined.version, "minutes": "纪要"},
    ),
]


def sign_in(client, user):
    client.logout()
    if user is None:
        return
    client.force_login(user)
    if hasattr(user, "expert"):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="手机", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()


def test_every_scoring_url_is_in_the_table():
    assert {p.name for p in urls.urlpatterns} == {r.name for r in ROUTES}


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method}-{r.name}")
def test_route(client, world, route):
    url = reverse(f"scoring:{route.name}", args=route.args(world))
    allowed = route.allowed(world)
    for actor in ACTORS:
        user = world.users[actor]
        expected = OK if actor in allowed else (LOGIN if user is None else HIDDEN)
        sign_in(client, user)
        events = Event.objects.count()
        send = client.get if route.method == "get" else client.post
        response = send(url, route.data(world) if route.data else None)
        status = response.status_code
        if expected == LOGIN:
            assert status == 302 and "/accounts/login/" in response["Location"], actor
        elif expected == HIDDEN:
            assert status == 404, f"{actor} got {status}"
            assert Event.objects.count() == events, f"{actor}'s refused request changed state"
        elif route.method == "get":
            assert status == 200, f"{actor} got {status}"
        else:
            assert status in (200, 302, 400, 409), f"{actor} got {status}"


def test_an_unverified_expert_session_is_sent_to_the_second_factor(client, world):
    client.force_login(world.assigned.user)
    response = client.get(reverse("scoring:task", args=[world.online.pk, world.application.pk]))
    assert response.status_code == 302 and "/experts/" in response["Location"]


def test_an_expert_sees_no_task_before_the_round_starts(client, world, office):
    # The defence round is still planned: the panel member's task does not exist yet.
    sign_in(client, world.users["assigned"])
    url = reverse("scoring:task", args=[world.defence.pk, world.application.pk])
    assert client.get(url).status_code == 404
    domain.change_round(world.online, "close", by=office)
    domain.change_round(world.defence, "open", by=office)
    assert client.get(url).status_code == 200


def test_an_attachment_of_another_application_is_not_found(client, world):
    sign_in(client, world.users["assigned"])
    other = world.online.call.applications.exclude(pk=world.application.pk).first()
    url = reverse("scoring:attachment", args=[world.online.pk, other.pk, world.attachment.pk])
    assert client.get(url).status_code == 404


def test_nothing_the_applicant_sees_names_an_expert(client, world):
    sign_in(client, world.users["applicant"])
    pages = [
        client.get(reverse("scoring:my_slots")).content.decode(),
        client.get(reverse("applications:detail", args=[world.application.pk])).content.decode(),
        client.get(reverse("notifications:inbox")).content.decode(),
    ]
    for expert_name in ["赵一", "钱二", "孙三", "李四", "周五"]:
        assert all(expert_name not in page for page in pages)
