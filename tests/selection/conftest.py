import pytest

from keyprojects.applications import domain as applications
from keyprojects.orgs.models import Authority, Organisation
from keyprojects.review import domain as review

from ..factories import make_application, make_organisation, make_user


@pytest.fixture
def nanjing(regions):
    return Authority.objects.get(name="南京市信息化主管部门")


@pytest.fixture
def nanjing_reviewer(nanjing):
    return make_user(None, authority=nanjing)


@pytest.fixture
def county_reviewer(regions):
    return make_user(None, authority=Authority.objects.get(name="徐州市沛县信息化主管部门"))


@pytest.fixture
def city_reviewer(regions):
    return make_user(None, authority=Authority.objects.get(name="徐州市信息化主管部门"))


@pytest.fixture
def department_reviewer(regions):
    return make_user(None, authority=Authority.objects.get(name="省交通运输厅"))


def reviewer_of(application):
    """A reviewer of the authority the application was routed to."""
    return make_user(None, authority=application.authority)


def submitted(call, *, seat="320102", organisation=None, partners=None, **values):
    """A complete application of a new organisation (or `organisation`), submitted."""
    organisation = organisation or make_organisation(seat=seat)
    user = organisation.users.first() or make_user(organisation)
    application = make_application(call, user, **values)
    if partners is not None:
        applications.save_draft(
            application,
            {},
            partners,
            by=user,
            expected_version=application.version,
            editor_token="factory",
        )
    return applications.submit(application, by=user)


def recommended(call, *, reviewer=None, **kwargs):
    """A complete application, submitted and recommended by its authority."""
    application = submitted(call, **kwargs)
    application.refresh_from_db()
    review.decide(
        application, "recommend", by=reviewer or reviewer_of(application), reason="同意推荐"
    )
    application.refresh_from_db()
    return application


def provincial_soe():
    return make_organisation(
        seat="320106",
        kind=Organisation.Kind.PROVINCIAL_SOE,
        supervising_department=Authority.objects.get(name="省交通运输厅"),
    )
