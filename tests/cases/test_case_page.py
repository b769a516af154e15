"""The public case page and the pictures: published for all, drafts for the office (and the
applicant's own pictures for its consent), nothing for anybody else."""

import pytest

from keyprojects.cases import domain
from keyprojects.orgs.models import Authority

from .. import factories
from .conftest import publish
from .images import png


@pytest.fixture
def picture(case, office):
    return domain.add_image(case, png(), caption="指挥中心", by=office)


@pytest.fixture
def reviewer(regions):
    """A reviewer of another city (苏州)."""
    return factories.make_user(None, authority=Authority.objects.get(name="苏州市信息化主管部门"))


def test_a_published_case_is_public_with_its_print_stylesheet(
    client, case, picture, office, office2, owner
):
    domain.add_figure(case, label="服务人次", value=1200, unit="万", by=office)
    case = publish(case, office=office, checker=office2, owner=owner)
    response = client.get(f"/cases/{case.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert case.title in page and case.organisation.name in page and "南京市" in page
    assert '<div class="value">1200<span class="unit">万</span></div>' in page
    assert f'src="/cases/images/{picture.pk}/" alt="指挥中心"' in page
    assert "cases/cases.css" in page and "data-print" in page
    assert "预览" not in page


def test_a_draft_is_not_found_by_the_public_an_applicant_or_a_reviewer(
    client, case, owner, stranger, reviewer
):
    assert client.get(f"/cases/{case.pk}/").status_code == 404
    for user in [owner, stranger, reviewer]:
        client.force_login(user)
        assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_the_office_previews_a_draft(client, case, office):
    client.force_login(office)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "预览" in page and "公众不能查看" in page


def test_an_unknown_case_is_not_found(client, db):
    assert client.get("/cases/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_a_draft_picture_is_served_to_the_office_and_the_owner_only(
    client, picture, office, owner, stranger, reviewer
):
    url = f"/cases/images/{picture.pk}/"
    assert client.get(url).status_code == 404
    for user in [stranger, reviewer]:
        client.force_login(user)
        assert client.get(url).status_code == 404
    for user in [office, owner]:
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "private, no-store"
        assert response["Content-Disposition"].startswith("inline")


def test_a_published_picture_is_public_until_the_case_comes_down(
    client, case, picture, office, office2, owner
):
    case = publish(case, office=office, checker=office2, owner=owner)
    url = f"/cases/images/{picture.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    domain.act(case, "unpublish", by=office, expected_version=case.version, reason="更正")
    assert client.get(url).status_code == 404
