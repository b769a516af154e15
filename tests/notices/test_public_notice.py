"""The public notice page, as an anonymous visitor sees it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects.notices import decisions

pytestmark = pytest.mark.django_db


def test_anonymous_visitor_sees_the_selected_projects_only(client, notice, listed):
    page = client.get(reverse("notices:public", args=[notice.pk])).content.decode()
    flagship, key = listed["flagship"], listed["key"]
    for application in [flagship, key]:
        assert application.name in page
        assert application.organisation.name in page
    assert "南京市" in page and "苏州市" in page  # the city, not the district or address
    assert listed["rejected"].name not in page
    assert listed["rejected"].organisation.name not in page
    # Nothing of the applicants beyond what a notice shows.
    for secret in [
        "secret@example.com",
        "025-12345678",
        flagship.contact_phone,
        flagship.contact_email,
        flagship.organisation.address,
        flagship.organisation.credit_code,
        "1200.00",
    ]:
        assert secret not in page
    # The notice's own contact is shown, and the period.
    assert "025-83000000" in page and "省信息化办王处" in page
    assert f"{notice.starts_on:%Y}年" in page
    # Tiers in order, the flagship first.
    flagship_heading = page.index('<h2 class="h5">标志性工程</h2>')
    key_heading = page.index('<h2 class="h5">重点工程</h2>')
    assert flagship_heading < page.index(flagship.name) < key_heading < page.index(key.name)
    assert 'id="objection-form"' in page


def test_a_withdrawn_project_leaves_the_page(client, notice, listed, office):
    decisions.not_select(listed["key"], "申报单位主动撤回申报", by=office)
    page = client.get(reverse("notices:public", args=[notice.pk])).content.decode()
    assert listed["key"].name not in page
    assert listed["flagship"].name in page


def test_index_lists_published_notices(client, notice):
    page = client.get(reverse("notices:index")).content.decode()
    assert notice.title in page
    assert reverse("notices:public", args=[notice.pk]) in page


def test_public_page_queries_do_not_grow_with_the_list(client, notice, listed, office):
    url = reverse("notices:public", args=[notice.pk])
    with CaptureQueriesContext(connection) as two_rows:
        client.get(url)
    decisions.not_select(listed["key"], "申报单位主动撤回申报", by=office)
    with CaptureQueriesContext(connection) as one_row:
        page = client.get(url).content.decode()
    assert listed["key"].name not in page
    assert len(one_row.captured_queries) == len(two_rows.captured_queries)
