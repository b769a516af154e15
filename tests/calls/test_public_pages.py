"""The public face of a call: no login needed."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from keyprojects.calls.reference import call_spec, load_call
from keyprojects.core.clock import now

from ..factories import make_call, make_office, make_organisation, make_user


def embedded_fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if "/FontFile2" in descriptor or "/FontFile3" in descriptor:
                    names.add(str(font["/BaseFont"]))
    return names


def pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture
def calls(regions):
    past = load_call(call_spec())
    current = make_call(slug="demo", title="演示批次")
    return past, current


def test_home_lists_open_and_past_calls(client, calls):
    page = client.get(reverse("home")).content.decode()
    assert "演示批次" in page and "申报中" in page
    assert "2020年智慧江苏重点工程" in page and "已截止" in page
    assert '<html lang="zh-Hans">' in page


def test_call_page_shows_dates_countdown_categories_contacts(client, calls):
    _past, current = calls
    page = client.get(reverse("calls:detail", args=[current.slug])).content.decode()
    for text in [
        "数字基建类",
        "网络安全类",
        "025-69652659",
        "025-69652990",
        "data-deadline",
        "单位注册",
        "申报表样表",
    ]:
        assert text in page


def test_the_call_page_offers_each_visitor_their_own_next_step(client, calls):
    _past, current = calls
    url = reverse("calls:detail", args=[current.slug])
    client.force_login(make_user(make_organisation()))
    assert "开始填写申报表" in client.get(url).content.decode()
    # staff have nothing to register or to fill in: no dead end
    client.force_login(make_office())
    page = client.get(url).content.decode()
    assert "申报表由申报单位的账号填写" in page
    assert "单位注册" not in page.split("<main", 1)[1] and "开始填写申报表" not in page
    response = client.get(reverse("orgs:register"), follow=True)
    assert response.redirect_chain == [(reverse("home"), 302)]
    assert "您已登录，无需注册单位。" in response.content.decode()


def test_closed_call_page_says_so(client, calls):
    page = client.get(reverse("calls:detail", args=["2020"])).content.decode()
    assert "网上申报已截止" in page
    assert "开始填写申报表" not in page


def test_unpublished_call_is_not_found(client, regions):
    make_call(slug="draft-call")
    from keyprojects.calls.models import Call

    Call.objects.filter(slug="draft-call").update(is_published=False)
    assert client.get(reverse("calls:detail", args=["draft-call"])).status_code == 404


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("calls:notice_pdf", "苏信息化办〔2020〕4号"),
        ("calls:form_template_pdf", "申报单位（盖章）"),
        ("calls:instructions_pdf", "填报说明"),
    ],
)
def test_materials_are_pdfs_with_chinese_embedded(client, calls, name, expected):
    response = client.get(reverse(name, args=["2020"]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    pdf = response.content
    assert expected in pdf_text(pdf)
    assert any("Noto" in font for font in embedded_fonts(pdf))


def test_static_assets_are_served_locally(client, calls):
    page = client.get(reverse("home")).content.decode()
    assert "http://" not in page.split("<body>")[0].replace("http://127.0.0.1", "")
    for path in [
        "/static/vendor/bootstrap/css/bootstrap.min.css",
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/noto-sans-sc/400.css",
    ]:
        assert client.get(path).status_code == 200


def test_window_end_is_shown_as_24_00_of_the_last_day(client, regions):
    call = load_call(call_spec())
    assert call.last_day == dt.date(2020, 7, 20)
    page = client.get(reverse("calls:detail", args=["2020"])).content.decode()
    assert "2020年7月20日 24:00" in page
    assert "2020-07-31 24:00" in page  # the recommendation deadline, as the notice writes it
    assert now() > call.window_closes_at
