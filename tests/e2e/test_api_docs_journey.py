"""The office issues a token in a real browser, then reads the API's documentation page and
tries an operation there; the site's CSP must hold on every page (no inline script or style).

Screenshots go to test-artifacts/screenshots/ (names start with "api-").
"""

import re

import pytest
from playwright.sync_api import expect

from keyprojects.api import tokens
from keyprojects.api.models import ApiToken

from .. import factories
from .conftest import shot

pytestmark = pytest.mark.e2e


def test_the_office_issues_a_token_and_reads_the_docs(page, regions):
    office = factories.make_office(username="office-api", is_staff=True)
    factories.make_call()
    page.goto("/accounts/login/")
    page.fill("#id_username", office.username)
    page.fill("#id_password", factories.PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()

    page.goto("/api/tokens/")
    page.fill("#id_name", "南京市项目库（端到端测试）")
    page.select_option("#id_authority", label="南京市信息化主管部门")
    page.get_by_label("读取已推荐及入选项目").check()
    shot(page, "api-tokens-form")
    page.get_by_role("button", name="签发", exact=True).click()
    expect(page.get_by_role("heading", name="令牌已签发")).to_be_visible()
    secret = page.locator("#secret").input_value()
    assert re.fullmatch(r"kp_[0-9a-f]{8}_[A-Za-z0-9_-]{43}", secret)
    assert tokens.find(secret) == ApiToken.objects.get()
    shot(page, "api-token-created")

    page.get_by_role("link", name="我已保存，返回令牌列表").click()
    expect(page.get_by_role("cell", name="南京市项目库（端到端测试）")).to_be_visible()
    assert secret not in page.content()
    shot(page, "api-tokens-list")

    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("数据接口")
    operation = page.locator("#operations-公开数据-listCalls")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table .response .response-col_status")).to_have_text(
        "200"
    )
    expect(operation.locator(".live-responses-table")).to_contain_text("2020年智慧江苏重点工程")
    shot(page, "api-docs")
