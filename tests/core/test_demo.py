"""`make run`'s demo data: a call open now and an account for every role, idempotent."""

from keyprojects.applications.models import Application
from keyprojects.calls.domain import window_state
from keyprojects.core.demo import DEMO_PASSWORD, load_demo
from keyprojects.orgs.models import User
from keyprojects.orgs.rules import is_office


def test_demo_loads_twice_and_gives_every_role(regions):
    first = load_demo()
    second = load_demo()
    assert first == second
    users = {u.username: u for u in User.objects.all()}
    assert users["applicant"].organisation == users["applicant2"].organisation
    assert users["reviewer_px"].authority.name == "徐州市沛县信息化主管部门"
    assert users["admin"].is_superuser and is_office(users["office"])
    assert users["applicant"].check_password(DEMO_PASSWORD)
    submitted = Application.objects.filter(call__slug="demo", status="submitted")
    assert {a.authority.name for a in submitted} == {"徐州市沛县信息化主管部门", "省交通运输厅"}
    assert window_state(submitted.first().call) == "open"


def test_demo_has_a_call_in_the_selection_stage(regions):
    from keyprojects.experts.models import Assignment
    from keyprojects.review.models import RecommendationBatch, StampedScan
    from keyprojects.scoring.models import Score
    from keyprojects.selection.models import FormalCheck
    from keyprojects.tracking.models import TrackedProject

    accounts = {username: role for username, _password, role in load_demo()}

    call = Application.objects.filter(call__slug="demo-selection").first().call
    assert window_state(call) == "closed"
    statuses = sorted(call.applications.values_list("status", flat=True))
    assert statuses == ["check_passed"] * 6 + ["recommended"] * 2
    # checked as the office's page checks: its checklist and who checked it, not a bare status
    checks = FormalCheck.objects.filter(application__call=call)
    assert checks.count() == 6
    assert {(c.verdict, c.checked_by.username) for c in checks} == {("pass", "office")}
    assert all(item["result"] == "pass" for c in checks for item in c.items)
    # every authority with a recommendation sent it, sealed, before the office checked
    batches = RecommendationBatch.objects.filter(call=call)
    assert {b.authority.name for b in batches if b.is_submitted} == {
        "南京市信息化主管部门",
        "苏州市信息化主管部门",
        "省交通运输厅",
        "徐州市沛县信息化主管部门",
    }
    assert all(s.seal_found for s in StampedScan.objects.filter(table__batch__call=call))
    assert Assignment.objects.filter(application__call=call).count() == 6 * 3
    assert Score.objects.filter(application__call=call, submitted_at__isnull=False).exists()
    assert TrackedProject.objects.filter(name__contains="沛县").exists()
    experts = [u for u, role in accounts.items() if "评审专家" in role]
    assert len(experts) == 6
    assert any("尚未打分" in accounts[u] for u in experts)
    assert all("首次登录须绑定手机认证器" in accounts[u] for u in experts)


def test_demo_has_last_years_finished_call(regions):
    from keyprojects.calls.models import Call
    from keyprojects.core.clock import now
    from keyprojects.notices.models import PublicNotice
    from keyprojects.selection.models import FormalCheck

    load_demo()

    call = Call.objects.get(slug="demo-completed")
    assert call.year == now().year - 1
    assert window_state(call) == "closed"
    statuses = sorted(call.applications.values_list("status", flat=True))
    assert statuses == ["not_selected"] + ["selected"] * 5
    assert FormalCheck.objects.filter(application__call=call, verdict="pass").count() == 6
    notice = PublicNotice.objects.get(call=call)
    assert notice.state == PublicNotice.State.FINALISED
    assert notice.finalised_at < now() and notice.finalised_at.year == call.year
    assert len(notice.final_list["rows"]) == 5
