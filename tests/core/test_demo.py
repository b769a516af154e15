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
