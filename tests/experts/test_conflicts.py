"""Every conflict-of-interest (回避) rule, through conflicts(expert, application), and the bulk
form the solver uses giving the same answer."""

import pytest

from keyprojects.applications.models import Partner, PartnerRole
from keyprojects.audit.models import Event
from keyprojects.experts import assignment, domain
from keyprojects.experts.conflicts import conflict_map, conflicts, prefecture_city, with_facts
from keyprojects.experts.models import Assignment, ConflictDeclaration
from keyprojects.notifications.models import Notification
from keyprojects.orgs.models import Region

from ..factories import credit_code
from .conftest import make_expert, passed_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(call, office):
    """A 南京市玄武区 enterprise's 数字治理类 application, passed the formal check."""
    return passed_application(call, office, seat="320102")


def test_an_expert_from_elsewhere_has_no_conflict(application):
    expert = make_expert(city="320300")  # 徐州市
    assert conflicts(expert, application) == []


def test_own_organisation_is_a_conflict(application):
    expert = make_expert(code=application.organisation.credit_code)
    assert conflicts(expert, application) == ["专家工作单位即申报单位"]


def test_partner_organisation_is_a_conflict(application):
    code = credit_code("91320500MA")
    Partner.objects.create(
        application=application, role=PartnerRole.DEVELOPER, name="合作开发公司", credit_code=code
    )
    expert = make_expert(code=code)
    assert conflicts(expert, application) == ["专家工作单位是该项目的合作单位"]


@pytest.mark.parametrize(
    ("seat", "expert_city", "conflicted"),
    [
        ("320102", "320100", True),  # a district of 南京市, an expert of 南京市
        ("320322", "320300", True),  # 沛县 (a county of 徐州市), an expert of 徐州市
        ("320281", "320200", True),  # 江阴市 (a county-level city of 无锡市), an expert of 无锡市
        ("320322", "320100", False),  # 沛县 and 南京市
    ],
)
def test_same_prefecture_city_is_a_conflict(call, office, seat, expert_city, conflicted):
    application = passed_application(call, office, seat=seat)
    expert = make_expert(city=expert_city)
    city = Region.objects.get(code=expert_city).name
    assert conflicts(expert, application) == ([f"专家与申报单位同属{city}"] if conflicted else [])


def test_prefecture_city_of_each_kind_of_region(regions):
    assert prefecture_city(Region.objects.get(code="320100")).code == "320100"
    assert prefecture_city(Region.objects.get(code="320322")).code == "320300"
    assert prefecture_city(Region.objects.get(code="320000")) is None  # the province


def test_declared_by_the_expert_for_an_application(application, office):
    expert = make_expert()
    Assignment.objects.create(
        expert=expert,
        application=application,
        assigned_by=office,
        assigned_at=application.updated_at,
    )
    domain.declare_conflict(
        expert, by=expert.user, source="expert", reason="曾参与该项目咨询", application=application
    )
    assert conflicts(expert, application) == ["专家申报回避：曾参与该项目咨询"]
    # The assignment it now forbids is gone, recorded, and the office is told.
    assert not Assignment.objects.filter(expert=expert).exists()
    assert Event.objects.filter(action="unassign", reason__contains="曾参与该项目咨询").exists()
    notice = Notification.objects.get(user=office)
    assert application.name in notice.text and expert.name in notice.text


def test_declared_organisation_covers_applicant_and_partner(call, office):
    as_applicant = passed_application(call, office)
    as_partner = passed_application(call, office)
    unrelated = passed_application(call, office)
    Partner.objects.create(
        application=as_partner,
        role=PartnerRole.USER,
        name=as_applicant.organisation.name,
        credit_code=as_applicant.organisation.credit_code,
    )
    expert = make_expert()
    domain.declare_conflict(
        expert,
        by=expert.user,
        source="expert",
        reason="近亲属在该单位任职",
        credit_code=as_applicant.organisation.credit_code.lower(),  # typed in lower case
    )
    reason = f"专家申报回避（{as_applicant.organisation.name}）：近亲属在该单位任职"
    assert conflicts(expert, as_applicant) == [reason]
    assert conflicts(expert, as_partner) == [reason]
    assert conflicts(expert, unrelated) == []


def test_added_by_the_office(application, office):
    expert = make_expert()
    domain.declare_conflict(
        expert, by=office, source="office", reason="举报核实", application=application
    )
    assert conflicts(expert, application) == ["省信息化办指定回避：举报核实"]
    declaration = ConflictDeclaration.objects.get(expert=expert)
    assert (declaration.source, declaration.created_by) == ("office", office)
    event = Event.objects.get(action="declare_conflict", target_id=str(declaration.pk))
    assert (event.actor, event.reason) == (office, "举报核实")


def test_several_rules_give_several_reasons(application, office):
    expert = make_expert(city="320100", code=application.organisation.credit_code)
    assert conflicts(expert, application) == ["专家工作单位即申报单位", "专家与申报单位同属南京市"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"reason": " "}, "请填写回避理由。"),
        ({"reason": "理由"}, "二者选其一"),
        ({"reason": "理由", "credit_code": "91320102MA1XYW00X"}, "统一社会信用代码"),
        ({"reason": "理由", "credit_code": credit_code()}, "请填写回避单位名称。"),
    ],
)
def test_a_declaration_must_name_one_valid_target_and_a_reason(regions, fields, message):
    expert = make_expert()
    with pytest.raises(domain.Refused) as refused:
        domain.declare_conflict(expert, by=expert.user, source="expert", **fields)
    assert message in refused.value.message
    assert not ConflictDeclaration.objects.exists()


def test_the_same_declaration_twice_is_refused(application):
    expert = make_expert()
    domain.declare_conflict(
        expert, by=expert.user, source="expert", reason="一", application=application
    )
    with pytest.raises(domain.Refused, match="已申报过"):
        domain.declare_conflict(
            expert, by=expert.user, source="expert", reason="二", application=application
        )


def test_bulk_map_agrees_with_the_single_function(call, office):
    applications = [passed_application(call, office, seat=s) for s in ["320102", "320322"]]
    Partner.objects.create(
        application=applications[1],
        role=PartnerRole.DEVELOPER,
        name="开发单位",
        credit_code=credit_code("91320300MA"),
    )
    experts = [
        make_expert(city="320100"),
        make_expert(city="320300"),
        make_expert(city="320500", code=applications[0].organisation.credit_code),
        make_expert(city="320500", code=applications[1].partners.get().credit_code),
        make_expert(city="320600"),
        make_expert(city="320600"),
    ]
    domain.declare_conflict(
        experts[4], by=office, source="office", reason="回避", application=applications[1]
    )
    domain.declare_conflict(
        experts[5],
        by=experts[5].user,
        source="expert",
        reason="回避",
        credit_code=applications[0].organisation.credit_code,
    )
    bulk = conflict_map(experts, with_facts(type(applications[0]).objects.all()))
    single = {
        (str(e.pk), str(a.pk)): conflicts(e, a)
        for e in experts
        for a in applications
        if conflicts(e, a)
    }
    assert bulk == single
    assert len(single) == 6  # one per expert


def test_manual_assignment_of_a_conflicted_pair_is_refused(application, office):
    expert = make_expert(city="320100")
    with pytest.raises(
        assignment.AssignmentRefused, match="须回避该项目：专家与申报单位同属南京市"
    ):
        assignment.add_expert(application, expert, by=office)
    assert not Assignment.objects.exists()
