"""The office's pages: every one checks the user, keeps what was typed and refuses stale saves."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from keyprojects.audit.domain import history
from keyprojects.cases import domain
from keyprojects.cases.models import Case
from keyprojects.orgs.models import Authority

from .. import factories
from .conftest import publish
from .images import png


@pytest.fixture
def reviewer(regions):
    return factories.make_user(None, authority=Authority.objects.get(name="南京市信息化主管部门"))


def office_urls(case):
    figure = domain.add_figure(case, label="服务人次", value=1, unit="万", by=case.created_by)
    picture = domain.add_image(case, png(), caption="图", by=case.created_by)
    base = f"/cases/office/{case.pk}/"
    return [
        ("get", "/cases/office/"),
        ("get", "/cases/office/new/"),
        ("post", "/cases/office/new/create/"),
        ("get", base),
        ("get", base + "edit/"),
        ("post", base + "figures/"),
        ("post", base + f"figures/{figure.pk}/delete/"),
        ("post", base + "images/"),
        ("post", base + f"images/{picture.pk}/delete/"),
        ("post", base + "consent/"),
        ("post", base + "act/"),
    ]


def test_anonymous_users_are_sent_to_the_login(client, case):
    for method, url in office_urls(case):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_applicants_and_reviewers_find_nothing(client, case, owner, stranger, reviewer):
    urls = office_urls(case)
    for user in [owner, stranger, reviewer]:
        client.force_login(user)
        for method, url in urls:
            assert getattr(client, method)(url).status_code == 404, (user, url)
    case.refresh_from_db()
    assert case.figures.count() == 1 and case.images.count() == 1 and case.state == "draft"


def test_the_list_filters_by_state_in_a_fixed_number_of_queries(
    client, select, office, office2, owner, case
):
    client.force_login(office)
    for name in ["另一个案例", "第三个案例"]:
        domain.create_case(select(name), by=office)
    publish(case, office=office, checker=office2, owner=owner)
    with CaptureQueriesContext(connection) as one:
        response = client.get("/cases/office/", {"state": "published"})
    assert [c.title for c in response.context["page"]] == [case.title]
    with CaptureQueriesContext(connection) as three:
        response = client.get("/cases/office/")
    assert len(response.context["page"]) == 3
    assert len(one) == len(three)
    assert client.get("/cases/office/", {"state": "nonsense"}).status_code == 200


def test_the_chooser_offers_selected_projects_without_a_case_and_creates_one(
    client, select, office, selected
):
    other = select("沛县智慧农业平台", seat="320322")
    client.force_login(office)
    page = client.get("/cases/office/new/")
    assert [a.name for a in page.context["page"]] == sorted([selected.name, other.name])
    response = client.post("/cases/office/new/create/", {"application": str(other.pk)})
    case = Case.objects.get(application=other)
    assert response.status_code == 302 and response["Location"] == f"/cases/office/{case.pk}/edit/"
    assert [a.name for a in client.get("/cases/office/new/").context["page"]] == [selected.name]
    again = client.post("/cases/office/new/create/", {"application": str(other.pk)}, follow=True)
    assert "该项目已有典型案例" in again.content.decode()


def test_edit_saves_and_a_stale_save_gets_409_keeping_what_was_typed(client, case, office, office2):
    client.force_login(office)
    form = client.get(f"/cases/office/{case.pk}/edit/").context["form"]
    values = {**form.initial, "title": "改写的标题"}
    response = client.post(f"/cases/office/{case.pk}/edit/", values)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.title == "改写的标题" and case.version == 2 and case.updated_by == office

    client.force_login(office2)
    stale = {**form.initial, "title": "同时改的另一个标题", "version": 1}
    response = client.post(f"/cases/office/{case.pk}/edit/", stale)
    assert response.status_code == 409
    page = response.content.decode()
    assert "已被他人修改" in page and 'value="同时改的另一个标题"' in page
    case.refresh_from_db()
    assert case.title == "改写的标题"


def test_an_invalid_edit_says_what_is_wrong_and_keeps_the_rest(client, case, office):
    client.force_login(office)
    values = {"title": "", "summary": "新的简介", "problem": "p", "solution": "s", "version": 1}
    response = client.post(f"/cases/office/{case.pk}/edit/", values)
    assert response.status_code == 400
    page = response.content.decode()
    assert "这个字段是必填项" in page and "新的简介" in page


def test_figures_are_added_and_removed(client, case, office):
    client.force_login(office)
    url = f"/cases/office/{case.pk}/figures/"
    bad = client.post(url, {"label": "服务人次", "value": "很多", "unit": "万"})
    assert bad.status_code == 400 and 'value="服务人次"' in bad.content.decode()
    assert client.post(url, {"label": "服务人次", "value": "1200", "unit": "万"}).status_code == 302
    figure = case.figures.get()
    assert str(figure.value) == "1200.00"
    client.post(f"/cases/office/{case.pk}/figures/{figure.pk}/delete/")
    assert not case.figures.exists()


def test_a_picture_needs_a_caption_and_a_real_image(client, case, office):
    client.force_login(office)
    url = f"/cases/office/{case.pk}/images/"
    no_caption = client.post(url, {"file": png(), "caption": ""})
    assert no_caption.status_code == 400 and not case.images.exists()
    not_image = client.post(url, {"file": factories.pdf_upload("图.png"), "caption": "假图片"})
    assert not_image.status_code == 400
    assert "只接受 JPG、PNG" in not_image.content.decode()
    assert 'value="假图片"' in not_image.content.decode()
    assert client.post(url, {"file": png(), "caption": "指挥中心"}).status_code == 302
    picture = case.images.get()
    assert picture.caption == "指挥中心"
    client.post(f"/cases/office/{case.pk}/images/{picture.pk}/delete/")
    assert not case.images.exists()


def test_submit_then_the_submitter_is_told_to_ask_a_colleague(client, case, office, owner):
    domain.decide_consent(case, given=True, note="", seen_digest=case.content_digest, by=owner)
    client.force_login(office)
    act = f"/cases/office/{case.pk}/act/"
    client.post(act, {"action": "submit", "version": 1})
    case.refresh_from_db()
    assert case.state == "in_review" and case.submitted_by == office
    page = client.post(act, {"action": "publish", "version": case.version}, follow=True)
    assert "提交审核的人不能审核发布" in page.content.decode()
    case.refresh_from_db()
    assert case.state == "in_review"


def test_a_colleague_approves_and_publishes(client, case, office, office2, owner):
    domain.decide_consent(case, given=True, note="", seen_digest=case.content_digest, by=owner)
    case = domain.act(case, "submit", by=office, expected_version=1)
    client.force_login(office2)
    page = client.get(f"/cases/office/{case.pk}/").content.decode()
    assert "审核通过并发布" in page
    response = client.post(
        f"/cases/office/{case.pk}/act/", {"action": "publish", "version": case.version}, follow=True
    )
    assert "案例已发布" in response.content.decode()
    case.refresh_from_db()
    assert case.state == "published" and case.published_by == office2


def test_returning_needs_a_reason_and_a_stale_action_is_refused(client, case, office):
    case = domain.act(case, "submit", by=office, expected_version=1)
    client.force_login(office)
    act = f"/cases/office/{case.pk}/act/"
    page = client.post(act, {"action": "return", "version": case.version}, follow=True)
    assert "请填写退回修改的理由" in page.content.decode()
    page = client.post(act, {"action": "return", "version": 1, "reason": "x"}, follow=True)
    assert "已被他人修改" in page.content.decode()
    client.post(act, {"action": "return", "version": case.version, "reason": "请补充成效数据"})
    case.refresh_from_db()
    assert case.state == "draft" and case.state_reason == "请补充成效数据"
    page = client.get(f"/cases/office/{case.pk}/").content.decode()
    assert "请补充成效数据" in page


def test_asking_for_consent_from_the_page(client, case, office, owner):
    client.force_login(office)
    page = client.post(f"/cases/office/{case.pk}/consent/", follow=True).content.decode()
    assert "已通知申报单位的 1 个账号" in page
    assert history(case).filter(action="consent_requested").exists()


def test_the_chooser_runs_a_fixed_number_of_queries(client, select, office, selected):
    client.force_login(office)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/cases/office/new/").context["page"]) == 1
    select("第二个项目")
    select("第三个项目", seat="320505")
    with CaptureQueriesContext(connection) as three:
        assert len(client.get("/cases/office/new/").context["page"]) == 3
    assert len(one) == len(three)
