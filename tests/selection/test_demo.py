"""The demo data of selection: earlier key projects, one continued by a demo application."""

from django.contrib.auth.models import Group

from keyprojects.calls.models import Call
from keyprojects.core.clock import CHINA, now
from keyprojects.core.demo import load_demo as load_core_demo
from keyprojects.orgs.models import OFFICE_GROUP, User
from keyprojects.review import domain as review
from keyprojects.selection import indexing
from keyprojects.selection.demo import PAST_PROJECTS, load_demo
from keyprojects.selection.models import SimilarPair
from keyprojects.tracking.models import TrackedProject


def test_demo_is_idempotent_and_flags_the_continued_project(regions):
    today = now().astimezone(CHINA).date()
    load_core_demo(today)
    call = Call.objects.get(slug="demo")
    assert load_demo(call, today) == []
    assert load_demo(call, today) == []
    demo_projects = TrackedProject.objects.filter(name__in=[p[1] for p in PAST_PROJECTS])
    assert demo_projects.count() == 2
    assert all(p.year < call.year for p in demo_projects)
    office_group = Group.objects.get(name=OFFICE_GROUP)
    assert office_group.permissions.filter(codename="view_similarpair").exists()

    application = call.applications.get(name="沛县智慧农业大数据平台")
    review.decide(application, "recommend", by=User.objects.get(username="reviewer_px"))
    office = User.objects.get(username="office")
    run = indexing.start_run(call, by=office)
    run.refresh_from_db()
    pair = SimilarPair.objects.get(application=application)
    assert pair.past_project.name == "沛县智慧农业大数据平台（一期）"
    assert pair.continuation
