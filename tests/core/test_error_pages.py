"""Every error a user can meet is a page of the site, in Chinese, with a way back."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import include, path

from ..factories import make_application, make_organisation, make_user


def _server_error(request):
    raise RuntimeError("a bug")


def _denied(request):
    raise PermissionDenied


urlpatterns = [
    path("boom/", _server_error),
    path("denied/", _denied),
    path("", include("keyprojects.urls")),
]


def assert_site_page(response, status, heading):
    text = response.content.decode()
    assert response.status_code == status
    assert '<html lang="zh-Hans">' in text
    assert f'<h1 class="h3">{heading}</h1>' in text
    assert "/static/css/site.css" in text  # the site's own look, not Django's bare page
    assert 'href="/">返回首页</a>' in text
    assert "Not Found" not in text and "Server Error" not in text


@pytest.mark.django_db
def test_a_page_that_does_not_exist(client):
    assert_site_page(client.get("/no-such-page/"), 404, "页面不存在")


def test_another_organisations_application_is_the_same_not_found(call):
    application = make_application(call, make_user(make_organisation()))
    stranger = Client()
    stranger.force_login(make_user(make_organisation(seat="320505")))
    response = stranger.get(f"/applicant/{application.pk}/")
    assert_site_page(response, 404, "页面不存在")
    assert application.name not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_action_not_allowed(client):
    assert_site_page(client.get("/denied/"), 403, "没有权限")


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_a_server_error_says_what_was_saved_is_safe():
    response = Client(raise_request_exception=False).get("/boom/")
    assert_site_page(response, 500, "系统出错了")
    assert "此前已保存的内容不受影响" in response.content.decode()


@pytest.mark.django_db
def test_a_form_posted_from_an_expired_page():
    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "x", "password": "y"}
    )
    assert_site_page(response, 403, "页面已过期")
    assert "刷新后再提交" in response.content.decode()


@pytest.mark.django_db
def test_a_bad_request(client):
    assert_site_page(client.get("/", HTTP_HOST="not-ours.example"), 400, "请求有误")
