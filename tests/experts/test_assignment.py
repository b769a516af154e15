"""Running the assignment on a call's applications, re-running it, and the office's hand edits."""

import pytest

from keyprojects.applications import workflow
from keyprojects.audit.models import Event
from keyprojects.experts import assignment
from keyprojects.experts.conflicts import conflicts
from keyprojects.experts.models import Assignment, AssignmentRun, ReviewPlan

from .conftest import make_expert, passed_application

pytestmark = pytest.mark.django_db

GOV, SEC = "digital_governance", "cybersecurity"


@pytest.fixture
def world(call, office):
    """Three 南京 数字治理类 applications and one 苏州 网络安全类; k = 2, L = 3."""
    ReviewPlan.objects.create(call=call, experts_per_application=2, max_per_expert=3)
    apps = [passed_application(call, office, seat="320102") for _ in range(3)]
    apps.append(passed_application(call, office, seat="320505", category=SEC))
    experts = {
        "xz": make_expert(city="320300"),
        "wx": make_expert(city="320200"),
        "cz": make_expert(city="320400", categories=[GOV, SEC]),
        "nj": make_expert(city="320100"),  # 南京: conflicted with every 数字治理类 project
        "nt": make_expert(city="320600", categories=[SEC]),
    }
    return apps, experts


def pairs(call):
    return sorted(
        (str(a.application_id), str(a.expert_id))
        for a in Assignment.objects.filter(application__call=call)
    )


def test_each_application_gets_k_experts_of_its_category_without_conflicts(call, office, world):
    apps, experts = world
    run = assignment.run(call, by=office)

    assert run.result["feasible"] and run.result["messages"] == []
    assert run.parameters | {"applications": 4, "experts": 5, "k": 2, "max_per_expert": 3} == (
        run.parameters
    )
    made = Assignment.objects.filter(application__call=call).select_related("expert", "application")
    assert len(made) == 8
    for item in made:
        assert item.run == run and not item.is_manual and item.assigned_by == office
        assert item.application.category.code in item.expert.category_codes
        assert conflicts(item.expert, item.application) == []
    for application in apps:
        assert application.expert_assignments.count() == 2
    loads = [e.assignments.count() for e in experts.values()]
    assert max(loads) <= 3
    assert experts["nj"].assignments.count() == 0
    assert Event.objects.filter(target_type="experts.assignment", action="assign").count() == 8
    event = Event.objects.get(target_id=str(run.pk), action="run_assignment")
    assert (event.actor, event.to_state) == (office, "applied")


def test_running_again_gives_the_same_assignment(call, office, world):
    first = assignment.run(call, by=office)
    before = pairs(call)
    second = assignment.run(call, by=office)
    assert pairs(call) == before
    assert second.result["replaced"] == 8
    assert not Assignment.objects.filter(run=first).exists()
    assert AssignmentRun.objects.filter(call=call).count() == 2


def test_a_new_run_keeps_manual_assignments(call, office, world):
    apps, experts = world
    manual = assignment.add_expert(apps[0], experts["xz"], by=office, reason="熟悉该领域")
    assignment.run(call, by=office)
    assert Assignment.objects.filter(pk=manual.pk, is_manual=True).exists()
    assert apps[0].expert_assignments.count() == 2  # the manual one and one computed
    assignment.run(call, by=office)
    assert Assignment.objects.filter(pk=manual.pk).exists()


def test_a_category_without_enough_experts_changes_nothing_and_says_why(call, office, world):
    apps, _experts = world
    assignment.run(call, by=office)
    before = pairs(call)
    ReviewPlan.objects.filter(call=call).update(experts_per_application=3)

    run = assignment.run(call, by=office)

    assert not run.result["feasible"]
    assert pairs(call) == before
    messages = run.result["messages"]
    # 数字治理类: 3 projects × 3 = 9 needed; xz, wx, cz free of conflicts, ≤ 3 each = 9 —
    # enough for the category, but 网络安全类 has only cz and nt: 1 × 3 = 3 > 2 experts.
    assert any(
        "网络安全类：1 个项目 × 每个项目 3 名专家 = 需要 3 人次" in m and "可用专家 2 名" in m
        for m in messages
    )
    assert any(apps[3].name in m and "只有 2 名" in m for m in messages)
    event = Event.objects.get(target_id=str(run.pk), action="run_assignment")
    assert event.to_state == "infeasible"


def test_an_application_whose_only_experts_are_conflicted_is_named(call, office, world):
    _apps, _experts = world
    nanjing_only = passed_application(call, office, seat="320102", category="digital_economy")
    make_expert(city="320100", categories=["digital_economy"])
    make_expert(city="320100", categories=["digital_economy"])

    run = assignment.run(call, by=office)

    assert not run.result["feasible"]
    assert not Assignment.objects.exists()
    assert any(
        f"项目“{nanjing_only.name}”" in m and "只有 0 名无需回避" in m
        for m in run.result["messages"]
    )


def test_the_office_adds_an_expert_by_hand(call, office, world):
    apps, experts = world
    added = assignment.add_expert(apps[3], experts["nt"], by=office, reason="补充")
    assert added.is_manual and added.run is None
    event = Event.objects.get(target_id=str(added.pk), action="assign")
    assert (event.actor, event.reason, event.data["manual"]) == (office, "补充", True)


@pytest.mark.parametrize(
    ("expert", "message"),
    [
        ("nt", "评审领域不含“数字治理类”"),
        ("nj", "须回避该项目：专家与申报单位同属南京市"),
    ],
)
def test_adding_an_unfit_expert_is_refused(call, office, world, expert, message):
    apps, experts = world
    with pytest.raises(assignment.AssignmentRefused, match=message):
        assignment.add_expert(apps[0], experts[expert], by=office)
    assert not Assignment.objects.exists()


def test_adding_beyond_the_load_limit_is_refused(call, office, world):
    apps, experts = world
    for application in apps[:3]:
        assignment.add_expert(application, experts["cz"], by=office)
    with pytest.raises(
        assignment.AssignmentRefused, match="已分配 3 个项目，达到每位专家最多 3 个"
    ):
        assignment.add_expert(apps[3], experts["cz"], by=office)


def test_adding_the_same_expert_twice_is_refused(call, office, world):
    apps, experts = world
    assignment.add_expert(apps[0], experts["xz"], by=office)
    with pytest.raises(assignment.AssignmentRefused, match="已分配评审该项目"):
        assignment.add_expert(apps[0], experts["xz"], by=office)


def test_only_applications_that_passed_the_check_get_experts(call, office, world):
    apps, experts = world
    workflow.perform(apps[0], "fail_check", by=office, reason="材料不全")
    with pytest.raises(assignment.AssignmentRefused, match="形式审查未通过"):
        assignment.add_expert(apps[0], experts["xz"], by=office)
    run = assignment.run(call, by=office)
    assert run.parameters["applications"] == 3
    assert apps[0].expert_assignments.count() == 0


def test_removing_needs_a_reason_and_is_recorded(call, office, world):
    apps, experts = world
    item = assignment.add_expert(apps[0], experts["xz"], by=office)
    with pytest.raises(assignment.AssignmentRefused, match="请填写移除的理由"):
        assignment.remove(item, by=office, reason=" ")
    pk = item.pk
    assignment.remove(item, by=office, reason="专家请假")
    assert not Assignment.objects.exists()
    event = Event.objects.get(target_id=str(pk), action="unassign")
    assert (event.actor, event.reason) == (office, "专家请假")
