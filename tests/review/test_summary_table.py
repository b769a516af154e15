"""The summary table, its verification code, the stamped scan and sending to the province."""

import io
from decimal import Decimal

import pypdfium2
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook
from PIL import ImageDraw

from keyprojects.applications.models import Application
from keyprojects.review import domain
from keyprojects.review.models import StampedScan


@pytest.fixture
def batch(call, county, county_reviewer, submitted):
    for application in submitted:
        domain.decide(application, "recommend", by=county_reviewer, reason="同意推荐")
    return domain.batch_for(call, county)


@pytest.fixture
def table(batch, county_reviewer):
    """A generated version; its files were rendered by the task (run at once in tests)."""
    table = domain.start_table(batch, by=county_reviewer)
    table.refresh_from_db()
    return table


def scanned(pdf_bytes: bytes, *, seal=True, fmt="JPEG", exif=None) -> SimpleUploadedFile:
    """Print and scan: rasterise the PDF's first page, draw a red seal, save as an image
    (with `exif` bytes, as a phone's camera would add)."""
    document = pypdfium2.PdfDocument(pdf_bytes)
    image = document[0].render(scale=2.5).to_pil().convert("RGB")
    document.close()
    if seal:
        draw = ImageDraw.Draw(image)
        x, y = image.width // 4, image.height // 8
        draw.ellipse([x, y, x + 260, y + 260], outline=(210, 30, 30), width=14)
        draw.regular_polygon((x + 130, y + 130, 50), 5, fill=(210, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, fmt, quality=85, **({"exif": exif} if exif else {}))
    return SimpleUploadedFile(f"scan.{fmt.lower()}", buffer.getvalue())


def test_table_lists_recommended_projects_with_totals(table, submitted):
    rows = table.content["rows"]
    assert [row["name"] for row in rows] == ["沛县智慧农业平台", "沛县城市大脑"]
    assert table.content["total_investment"] == "2400.00"
    assert table.content["authority"] == "徐州市沛县信息化主管部门"
    assert table.state == table.State.READY and table.progress == 100


def test_xlsx_opens_and_sums_right(table):
    sheet = load_workbook(io.BytesIO(table.xlsx.read())).active
    assert "推荐项目汇总表" in sheet["A1"].value
    amounts = [sheet.cell(row=r, column=5).value for r in (4, 5)]
    assert sum(Decimal(str(a)) for a in amounts) == Decimal(table.content["total_investment"])
    assert sheet["E6"].value == "=SUM(E4:E5)"
    assert table.code in sheet["F2"].value


def test_code_changes_when_a_recommended_investment_changes(table, call, county, submitted):
    assert domain.current_code(call, county) == table.code
    Application.objects.filter(pk=submitted[0].pk).update(total_investment=Decimal("1200.01"))
    assert domain.current_code(call, county) != table.code


def test_code_changes_when_an_opinion_changes(table, call, county, county_reviewer, submitted):
    domain.decide(submitted[1], "not_recommend", by=county_reviewer, reason="投资不实")
    assert domain.current_code(call, county) != table.code


def test_scan_of_the_printed_table_is_read_from_its_qr_code(batch, table, county_reviewer):
    scan = domain.accept_scan(batch, scanned(table.pdf.read()), by=county_reviewer)
    assert scan.table == table
    assert scan.code_source == StampedScan.CodeSource.QR
    assert scan.seal_found


def test_a_photographed_scan_is_stored_without_its_metadata_and_still_read(
    batch, table, county_reviewer
):
    from PIL import Image as PillowImage

    from ..documents.pictures import assert_only_pixels

    exif = PillowImage.Exif()
    exif[0x013B] = "张三"  # Artist
    exif.get_ifd(0x8825)[2] = (32.0, 3.0, 0.0)  # GPSLatitude
    uploaded = scanned(table.pdf.read(), exif=exif.tobytes())
    assert PillowImage.open(uploaded).getexif()  # the camera's metadata is there to begin with
    uploaded.seek(0)

    scan = domain.accept_scan(batch, uploaded, by=county_reviewer)

    assert (scan.code_source, scan.seal_found) == (StampedScan.CodeSource.QR, True)
    with scan.file.open("rb") as stored:
        assert_only_pixels(stored.read())


def test_scan_without_a_seal_is_kept_with_a_warning_flag(batch, table, county_reviewer):
    scan = domain.accept_scan(
        batch, scanned(table.pdf.read(), seal=False, fmt="PNG"), by=county_reviewer
    )
    assert not scan.seal_found


def test_stale_scan_is_refused_with_the_reason(batch, table, county_reviewer, submitted):
    printed = table.pdf.read()
    Application.objects.filter(pk=submitted[0].pk).update(total_investment=Decimal("1300.00"))
    with pytest.raises(domain.SubmitRefused, match="此后推荐项目或意见已有变化"):
        domain.accept_scan(batch, scanned(printed), by=county_reviewer)
    assert not StampedScan.objects.exists()


def test_unreadable_scan_needs_the_typed_code(batch, table, county_reviewer):
    blank = SimpleUploadedFile("blank.pdf", _blank_pdf())
    with pytest.raises(domain.SubmitRefused, match="输入汇总表右上角印的校验码"):
        domain.accept_scan(batch, blank, by=county_reviewer)
    blank.seek(0)
    scan = domain.accept_scan(
        batch, blank, typed_code=table.code.lower().replace("-", " "), by=county_reviewer
    )
    assert scan.code_source == StampedScan.CodeSource.TYPED


def test_send_to_province_locks_opinions(batch, table, county_reviewer, submitted, call, county):
    with pytest.raises(domain.SubmitRefused, match="扫描件"):
        domain.submit_to_province(batch, by=county_reviewer)
    domain.accept_scan(batch, scanned(table.pdf.read()), by=county_reviewer)
    sent = domain.submit_to_province(batch, by=county_reviewer)
    assert sent.is_submitted and sent.submitted_table == table
    with pytest.raises(domain.BatchLocked):
        domain.decide(submitted[0], "return", by=county_reviewer, reason="补充材料")
    reopened = domain.reopen(sent, by=county_reviewer, reason="材料需补正")
    assert not reopened.is_submitted
    domain.decide(submitted[0], "return", by=county_reviewer, reason="补充材料")


def test_every_application_needs_an_opinion_before_sending(
    call, county, county_reviewer, submitted
):
    domain.decide(submitted[0], "recommend", by=county_reviewer)
    batch = domain.batch_for(call, county)
    with pytest.raises(domain.SubmitRefused, match="1 个项目未出具审核意见"):
        domain.submit_to_province(batch, by=county_reviewer)


def _blank_pdf():
    from ..factories import pdf_bytes

    return pdf_bytes()


def test_tampered_batch_recommend_ids_are_ignored(client, call, county_reviewer, submitted):
    from django.urls import reverse

    from ..factories import PASSWORD

    client.login(username=county_reviewer.username, password=PASSWORD)
    response = client.post(
        reverse("review:batch_recommend", args=[call.slug]), {"ids": ["abc", str(submitted[0].pk)]}
    )
    assert response.status_code == 302
    submitted[0].refresh_from_db()
    assert submitted[0].status == "recommended"


def test_reopening_a_batch_never_sent_says_so(client, call, county, office):
    from django.urls import reverse

    from ..factories import PASSWORD

    client.login(username=office.username, password=PASSWORD)
    batch = domain.batch_for(call, county)
    response = client.post(
        reverse("review:reopen_batch", args=[batch.pk]), {"reason": "x"}, follow=True
    )
    assert response.status_code == 200
    assert "该推荐尚未报送" in response.content.decode()


def test_table_content_queries_do_not_grow_with_rows(
    call, county, county_reviewer, submitted, django_assert_num_queries
):
    from keyprojects.applications import domain as applications

    from ..factories import make_application, make_organisation, make_user

    domain.decide(submitted[0], "recommend", by=county_reviewer, reason="同意")
    with django_assert_num_queries(2):  # the applications, then all their opinions
        assert len(domain.table_content(call, county)["rows"]) == 1
    other = make_user(make_organisation(seat="320322"))
    third = applications.submit(make_application(call, other), by=other)
    for application in [submitted[1], third]:
        domain.decide(application, "recommend", by=county_reviewer, reason="同意推荐")
    with django_assert_num_queries(2):
        content = domain.table_content(call, county)
    assert [row["opinion"] for row in content["rows"]] == ["同意", "同意推荐", "同意推荐"]


def test_sending_asks_the_reviewer_to_confirm_and_warns_of_a_missing_seal(
    client, batch, table, county_reviewer, call
):
    domain.accept_scan(batch, scanned(table.pdf.read(), seal=False), by=county_reviewer)
    client.force_login(county_reviewer)
    page = client.get(f"/review/calls/{call.slug}/").content.decode()
    assert "当前扫描件未检测到公章" in page
    assert 'name="confirmed"' in page
    send = f"/review/calls/{call.slug}/submit/"
    refused = client.post(send, follow=True)
    assert "请先勾选确认已核对汇总表和盖章扫描件" in refused.content.decode()
    batch.refresh_from_db()
    assert not batch.is_submitted
    client.post(send, {"confirmed": "on"})
    batch.refresh_from_db()
    assert batch.is_submitted
