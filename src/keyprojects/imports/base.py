"""What an importer declares to plug into the shared import flow.

An importer lives in its app's `imports.py` and is registered under a key
("orgs.organisations"). It names its columns, the permission it needs, its limits and
wording, and supplies three functions: `prepare` (the look-ups every row needs, made once),
`check_row` (what is wrong with one row, in Chinese, and its clean values) and `write` (the
good rows into the database, inside the import's transaction). `after_import` runs once the
import is committed (e-mails).
"""

import dataclasses
import importlib
from collections.abc import Callable

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MB = 1024 * 1024

# What became of a good row once imported.
CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclasses.dataclass(frozen=True)
class Column:
    """A column of the sheet: its header, whether a value is required, whether the header
    itself may be missing, and what the template's instructions say about it."""

    name: str
    help: str = ""
    example: str = ""
    required: bool = True  # the cell must not be empty
    optional: bool = False  # the header may be missing from the sheet


class Problems(list):
    """What is wrong with one row: each item names the column, what is wrong and how to fix
    it, all in Chinese, for the preview and the downloadable error rows."""

    def add(self, column: str, message, fix="") -> None:
        self.append({"column": column, "message": str(message), "fix": str(fix)})

    def require(self, values: dict, columns) -> None:
        for column in columns:
            if not values.get(column):
                self.add(
                    column,
                    _("“%(column)s”不能为空") % {"column": column},
                    _("请填写该列"),
                )

    def email(self, column: str, value: str) -> bool:
        try:
            validate_email(value)
        except ValidationError:
            self.add(
                column,
                _("电子邮箱格式不正确"),
                _("请填写完整的电子邮箱地址，如 name@example.com"),
            )
            return False
        return True


@dataclasses.dataclass
class Written:
    """What `write` made: the objects (for callers and `after_import`), extra facts for the
    audit event of the import, and anything else `after_import` needs (invitations)."""

    objects: list
    data: dict = dataclasses.field(default_factory=dict)
    after: list = dataclasses.field(default_factory=list)


class ImportRefused(Exception):
    """The import cannot go ahead; the message says why, in Chinese."""


class Importer:
    key = ""  # "app_label.name"; the app's imports.py registers it
    permission = ""  # django-rules permission to import at all
    url_name = ""  # "tracking:import": the app's URL names start with it (routes.py)
    title = gettext_lazy("导入")
    file_label = gettext_lazy("Excel 文件（.xlsx）")
    sheet_title = gettext_lazy("导入")  # the template's first sheet
    template_name = gettext_lazy("导入模板.xlsx")
    columns: list[Column] = []
    preview_columns: list[str] = []  # shown in the preview table beside the row number
    max_rows = 2000
    max_bytes = 5 * MB
    # "确认导入 %(n)d 个项目" and "已导入 %(n)d 个项目。"
    confirm_label = gettext_lazy("确认导入 %(n)d 行")
    done_message = gettext_lazy("已导入 %(n)d 行。")
    changed_message = gettext_lazy(
        "自检查以来数据已有变化，部分行的检查结果不同。已更新检查结果，请核对后再确认导入。"
    )
    clash_message = gettext_lazy("导入时发现重复数据，未导入任何行，请重新上传检查。")
    # Templates the pages include: the app's own header (tabs, breadcrumb) and the notes
    # beside the upload form.
    header_template = ""
    notes_template = ""

    def read_columns(self, header: set[str]) -> list[str]:
        """The columns to read from a sheet with this header: every column whose header is
        required (read_sheet says which are missing), and the optional ones present."""
        return [c.name for c in self.columns if not c.optional or c.name in header]

    def prepare(self, rows: list[dict]):
        """Look-ups for all rows at once (existing records, reference names); any value."""
        return None

    def check_row(self, row: dict, problems: Problems, context) -> dict | None:
        """Add what is wrong with the row ({number, values}) to `problems`; return its clean
        values (JSON-serialisable: they are stored with the batch)."""
        raise NotImplementedError

    def write(self, rows: list[dict], *, batch, by) -> Written:
        """Write the good rows (each row has `clean`), setting row["outcome"] to CREATED,
        UPDATED or UNCHANGED. Runs inside the import's transaction."""
        raise NotImplementedError

    def after_import(self, written: Written, *, batch, by, progress: Callable) -> None:
        """After the commit: e-mails and the like. Call progress(done, total) as you go."""


_REGISTRY: dict[str, Importer] = {}


def register(importer: Importer) -> Importer:
    """Make the importer known by its key (the app's imports.py does it on import)."""
    _REGISTRY[importer.key] = importer
    return importer


def importer_for(key: str) -> Importer:
    """The importer registered under `key`; its module is `<app>.imports`, imported on
    first use (a task worker loads no URLs, so nothing else may have imported it)."""
    if key not in _REGISTRY:
        app_label = key.partition(".")[0]
        importlib.import_module(f"{apps.get_app_config(app_label).name}.imports")
    return _REGISTRY[key]
