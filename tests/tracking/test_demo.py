"""The tracking demo: earlier projects imported (one the demo applicant's), a round due in
30 days with one report submitted and one evaluated; idempotent; no new accounts."""

import datetime as dt

from keyprojects.core.clock import CHINA, now
from keyprojects.core.demo import load_demo as load_core_demo
from keyprojects.orgs.models import User
from keyprojects.tracking.demo import load_demo
from keyprojects.tracking.models import ProgressReport, TrackedProject, TrackingRound


def test_demo_is_idempotent(regions):
    today = now().astimezone(CHINA).date()
    load_core_demo(today)
    accounts = User.objects.count()
    assert load_demo(today) == []
    assert load_demo(today) == []
    assert User.objects.count() == accounts
    # (the selection demo adds two more recent ones for its continuation check)
    imported = TrackedProject.objects.filter(source="imported", year__lte=2019)
    assert imported.count() == 4
    assert all(2016 <= p.year <= 2019 for p in imported)
    applicant = User.objects.get(username="applicant")
    owned = imported.get(organisation=applicant.organisation)
    round_ = TrackingRound.objects.get()
    assert round_.due_on == today + dt.timedelta(days=30)
    states = dict(round_.reports.values_list("project__name", "state"))
    assert states[owned.name] == ProgressReport.State.SUBMITTED
    assert list(states.values()).count(ProgressReport.State.EVALUATED) == 1
    reviewer = User.objects.get(username="reviewer_nj")
    report = round_.reports.get(project=owned)
    assert reviewer.has_perm("tracking.comment_report", report)
    assert User.objects.get(username="office").has_perm("tracking.change_trackedproject")
