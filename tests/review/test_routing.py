"""An application goes to the authority of its applicant's seat (SPEC §2)."""

import pytest

from keyprojects.applications import domain
from keyprojects.orgs.models import Authority, Organisation, Region
from keyprojects.orgs.routing import route

from ..factories import make_application, make_organisation, make_user


@pytest.mark.parametrize(
    ("seat", "authority", "copy_to"),
    [
        ("320102", "南京市信息化主管部门", None),  # 玄武区, a district → its city
        ("320322", "徐州市沛县信息化主管部门", "徐州市信息化主管部门"),  # a county
        ("320281", "无锡市江阴市信息化主管部门", "无锡市信息化主管部门"),  # a county-level city
        ("320684", "南通市海门市信息化主管部门", "南通市信息化主管部门"),  # abolished 2020-07-28
    ],
)
def test_route_by_seat(regions, seat, authority, copy_to):
    destination = route(make_organisation(seat=seat))
    assert destination.authority.name == authority
    assert (destination.copy_to.name if destination.copy_to else None) == copy_to


def test_provincial_soe_goes_to_its_department(regions):
    department = Authority.objects.get(name="省交通运输厅")
    soe = make_organisation(
        seat="320106", kind=Organisation.Kind.PROVINCIAL_SOE, supervising_department=department
    )
    assert route(soe).authority == department
    assert route(soe).copy_to is None


def test_every_current_county_level_unit_has_a_route(regions):
    for region in Region.objects.filter(abolished_on__isnull=True).exclude(
        kind__in=[Region.Kind.PROVINCE, Region.Kind.CITY]
    ):
        assert route(make_organisation(seat=region.code)).authority.kind in {
            Authority.Kind.CITY,
            Authority.Kind.COUNTY,
        }


def test_submit_records_the_route(call, regions):
    applicant = make_user(make_organisation(seat="320322"))
    application = make_application(call, applicant)
    submitted = domain.submit(application, by=applicant)
    assert submitted.authority.name == "徐州市沛县信息化主管部门"
    assert submitted.copy_authority.name == "徐州市信息化主管部门"
