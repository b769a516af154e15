import pytest

from keyprojects.applications import domain as applications
from keyprojects.orgs.models import Authority

from ..factories import make_application, make_organisation, make_user


@pytest.fixture
def county(regions):
    """沛县 (a county of 徐州市): its authority reviews, 徐州市 gets the copy."""
    return Authority.objects.get(name="徐州市沛县信息化主管部门")


@pytest.fixture
def county_reviewer(county):
    return make_user(None, authority=county)


@pytest.fixture
def city_reviewer(regions):
    return make_user(None, authority=Authority.objects.get(name="徐州市信息化主管部门"))


@pytest.fixture
def county_applicant(regions):
    return make_user(make_organisation(seat="320322"))


@pytest.fixture
def submitted(call, county_applicant):
    """Two submitted applications of one 沛县 organisation."""
    return [
        applications.submit(
            make_application(call, county_applicant, name=name), by=county_applicant
        )
        for name in ["沛县智慧农业平台", "沛县城市大脑"]
    ]
