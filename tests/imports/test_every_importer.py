"""What every importer does through the shared flow, tried on each of them: a good file is
previewed, then imported once however often it is confirmed; a file that is not XLSX or
has too many rows is refused whole; someone else's upload does not exist for you; the
template names the columns and explains them."""

import io

import pytest
from openpyxl import load_workbook

from keyprojects.audit.models import Event
from keyprojects.experts.models import Expert
from keyprojects.imports.models import ImportBatch
from keyprojects.orgs.models import Organisation, User
from keyprojects.tracking import imports as tracking_imports
from keyprojects.tracking.models import TrackedProject

from ..factories import pdf_upload
from .conftest import IMPORTERS, good_row, good_sheet, header, upload, url, xlsx

pytestmark = pytest.mark.django_db
APPS = list(IMPORTERS)


def imported(app) -> int:
    """How many objects the importer of `app` has made."""
    return {
        "orgs": lambda: Organisation.objects.filter(name__startswith="导入测试单位").count(),
        "tracking": lambda: TrackedProject.objects.count(),
        "review": lambda: User.objects.filter(username__startswith="reviewer").count(),
        "experts": lambda: Expert.objects.count(),
    }[app]()


@pytest.mark.parametrize("app", APPS)
def test_a_good_file_is_previewed_then_imported_once_however_often_confirmed(client, office, app):
    importer = IMPORTERS[app]
    client.force_login(office)
    batch = upload(client, importer, good_sheet(app))

    page = client.get(url(importer, "report", batch)).content.decode()
    assert "共 2 行：可导入 2 行，有错误 0 行。" in page
    assert str(importer.confirm_label % {"n": 2}) in page
    assert imported(app) == 0  # the preview imports nothing

    first = client.post(url(importer, "confirm", batch), follow=True)
    again = client.post(url(importer, "confirm", batch), follow=True)

    assert str(importer.done_message % {"n": 2}) in first.content.decode()
    assert "该文件已确认导入，不会重复导入。" in again.content.decode()
    batch.refresh_from_db()
    assert (batch.state, batch.created_count, imported(app)) == ("imported", 2, 2)
    assert Event.objects.filter(target_id=str(batch.pk), action="import").count() == 1


@pytest.mark.parametrize("app", APPS)
def test_a_file_that_is_not_xlsx_is_refused_whole(client, office, app):
    importer = IMPORTERS[app]
    client.force_login(office)

    response = client.post(url(importer), {"file": pdf_upload("名单.pdf")})

    assert response.status_code == 400
    page = response.content.decode()
    assert "上传的文件实际为 PDF" in page and "请上传 Excel（.xlsx）文件" in page
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("app", APPS)
def test_too_many_rows_are_refused_whole(client, office, app, monkeypatch):
    importer = IMPORTERS[app]
    if app == "tracking":
        monkeypatch.setattr(tracking_imports, "MAX_ROWS", 2)
    else:
        monkeypatch.setattr(importer, "max_rows", 2)
    client.force_login(office)

    response = client.post(url(importer), {"file": good_sheet(app, count=3)})

    assert response.status_code == 400
    assert "一次最多导入 2 行" in response.content.decode()
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize("app", APPS)
def test_someone_elses_upload_does_not_exist_for_you(client, office, colleague, app):
    importer = IMPORTERS[app]
    client.force_login(office)
    batch = upload(client, importer, good_sheet(app))
    client.force_login(colleague)

    for part in ("report", "progress", "errors"):
        assert client.get(url(importer, part, batch)).status_code == 404, part
    assert client.post(url(importer, "confirm", batch)).status_code == 404

    batch.refresh_from_db()
    assert batch.state == "previewed" and imported(app) == 0
    # Nor through another importer's pages, for the uploader.
    client.force_login(office)
    other = IMPORTERS["tracking" if app != "tracking" else "orgs"]
    assert client.get(url(other, "report", batch)).status_code == 404


@pytest.mark.parametrize("app", APPS)
def test_the_template_names_the_columns_and_explains_each(client, office, app):
    importer = IMPORTERS[app]
    client.force_login(office)

    response = client.get(url(importer, "template"))

    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    sheet, notes = workbook.worksheets
    assert [cell.value for cell in sheet[1]] == [c.name for c in importer.columns]
    assert sheet.max_row == 1  # no example row that would be imported by mistake
    explained = {row[0] for row in notes.iter_rows(min_row=2, values_only=True)}
    assert {c.name for c in importer.columns} <= explained


@pytest.mark.parametrize("app", APPS)
def test_the_rows_with_errors_download_with_what_is_wrong(client, office, app):
    importer = IMPORTERS[app]
    client.force_login(office)
    blank = [""] * len(header(importer))
    blank[1] = "只填了第二列"
    batch = upload(client, importer, xlsx(header(importer), [good_row(app, 1), blank]))

    response = client.get(url(importer, "errors", batch))

    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert list(rows[0]) == [*batch.columns, "错误说明", "原行号"]
    assert len(rows) == 2 and rows[1][1] == "只填了第二列" and rows[1][-1] == 3
    first = header(importer)[0]
    assert f"{first}：“{first}”不能为空（请填写该列）" in rows[1][-2]
