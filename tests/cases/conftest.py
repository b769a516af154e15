import pytest

from keyprojects.cases import domain

from .. import factories


@pytest.fixture
def office2(regions):
    """A second member of the provincial office: the checker of what `office` makes."""
    return factories.make_office(is_staff=True)


@pytest.fixture
def select(call, office):
    return factories.selected_maker(call, office)


@pytest.fixture
def selected(select):
    return select("玄武区城市运行一网统管平台", seat="320102")


@pytest.fixture
def owner(selected):
    """A user of the selected project's organisation."""
    return selected.organisation.users.get()


@pytest.fixture
def case(selected, office):
    return domain.create_case(selected, by=office)


def publish(case, *, office, checker, owner):
    """Consent, submit (office) and approve (checker): a published case."""
    case.refresh_from_db()
    domain.decide_consent(case, given=True, note="", seen_digest=case.content_digest, by=owner)
    case.refresh_from_db()
    case = domain.act(case, "submit", by=office, expected_version=case.version)
    return domain.act(case, "publish", by=checker, expected_version=case.version)
