"""Benchmark of the shared import flow (keyprojects.imports) with every importer at its
row limit: 5,000 organisations, 5,000 earlier key projects, 2,000 reviewer accounts and
2,000 experts (one row in twenty with an error).

    .venv/bin/python bench/bench_imports.py [--rows 5000] [--memory]

Builds a throw-away test database (an SQLite file by default, as a single machine runs;
`--memory` for SQLite in memory; PostgreSQL with DATABASE_URL, as a `test_…` database),
writes each sheet as a real XLSX, then times what the pages run: the upload (vetting,
reading, checking every row) and the confirmed import, step by step (check again, the one
write transaction, the e-mails to the locmem backend). Figures are printed, never asserted.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyprojects.settings")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from stdnum.cn import uscc  # noqa: E402

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def code(serial: int, prefix="91320102MA") -> str:
    first = f"{prefix}{serial:07d}"[:17]
    return first + uscc.calc_check_digit(first)


def sheet(header, rows, name) -> SimpleUploadedFile:
    workbook = Workbook()  # not write-only: as Excel does, it records the sheet's size
    worksheet = workbook.active
    worksheet.append(header)
    for row in rows:
        worksheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def organisation_rows(n):
    from keyprojects.orgs.queries import current_county_level_regions

    seats = [str(r) for r in current_county_level_regions()]
    kinds = ["企业", "企业", "事业单位", "县级以上行政部门", "社会团体", "省属企业"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        yield [
            f"江苏测试单位{i:05d}有限公司",
            code(i) if i % 20 else "91320102MA00000000",  # one in twenty: bad check digit
            kind,
            seats[i % len(seats)],
            "省交通运输厅" if kind == "省属企业" else "",
            f"南京市玄武区测试路{i}号",
            "张三",
            "李四",
            f"025-8{i:07d}",
            f"contact{i}@example.com",
        ]


def project_rows(n):
    for i in range(n):
        yield [
            2016 + i % 4,
            f"智慧城市重点工程{i:05d}",
            f"建设单位{i:05d}",
            code(i, "12320100MB") if i % 20 else "12320100MB0000000",
            "数字治理类",
            "南京市" if i % 20 != 1 else "上海市",
            f"{300 + i % 700}.50",
            "建设城市运行管理平台，汇聚视频、物联感知和政务数据。",
        ]


def reviewer_rows(n):
    from keyprojects.orgs.models import Authority

    names = list(Authority.objects.values_list("name", flat=True))
    for i in range(n):
        email = f"reviewer{i}@example.com" if i % 20 else "not-an-email"
        yield [f"bench_reviewer{i:05d}", f"审核员{i}", email, "13900000000", names[i % len(names)]]


def expert_rows(n):
    cities = ["南京市", "无锡市", "徐州市", "常州市", "苏州市", "南通市", "连云港市"]
    for i in range(n):
        city = cities[i % len(cities)] if i % 20 else "火星市"
        yield [
            f"专家{i}",
            f"研究院{i}",
            code(i, "12320000MC"),
            city,
            "数字治理类、网络安全类",
            "13900000000",
            f"expert{i}@example.com",
        ]


def timed(importer, name, figures):
    method = getattr(importer, name)

    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return method(*args, **kwargs)
        finally:
            figures[name] = figures.get(name, 0) + time.perf_counter() - started

    setattr(importer, name, wrapper)


def run(importer, upload, office):
    from keyprojects.imports import domain

    figures = {}
    for name in ("prepare", "write", "after_import"):
        timed(importer, name, figures)
    started = time.perf_counter()
    batch = domain.stage(importer, upload, by=office)
    staged = time.perf_counter() - started
    figures.clear()
    started = time.perf_counter()
    written = domain.confirm(batch, by=office)
    confirmed = time.perf_counter() - started
    for name in ("prepare", "write", "after_import"):
        delattr(importer, name)
    batch.refresh_from_db()
    return {
        "rows": batch.total_count,
        "rejected": batch.rejected_count,
        "imported": len(written.objects),
        "upload": staged,
        "confirm": confirmed,
        "write": figures.get("write", 0),
        "mail": figures.get("after_import", 0),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--memory", action="store_true")
    args = parser.parse_args()
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    original = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite" and not args.memory:
        connection.settings_dict["TEST"]["NAME"] = f"/tmp/bench-imports-{os.getpid()}.sqlite3"
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        from keyprojects.calls.reference import call_spec, load_call
        from keyprojects.experts.imports import COLUMNS as EXPERT_COLUMNS
        from keyprojects.experts.imports import POOL
        from keyprojects.orgs.imports import ORGANISATIONS
        from keyprojects.orgs.models import OFFICE_GROUP, User
        from keyprojects.orgs.reference import load_authorities, load_departments, load_regions
        from keyprojects.review.imports import COLUMNS as REVIEWER_COLUMNS
        from keyprojects.review.imports import REVIEWERS
        from keyprojects.tracking.imports import PROJECTS

        load_regions()
        load_departments()
        load_authorities()
        load_call(call_spec(), slug="bench")
        office = User.objects.create_user("bench_office", password="x")
        office.groups.create(name=OFFICE_GROUP)
        limited = min(args.rows, 2000)  # the reviewer and expert importers' limit
        cases = [
            (ORGANISATIONS, [c.name for c in ORGANISATIONS.columns], organisation_rows(args.rows)),
            (PROJECTS, [c.name for c in PROJECTS.columns], project_rows(args.rows)),
            (REVIEWERS, REVIEWER_COLUMNS, reviewer_rows(limited)),
            (POOL, EXPERT_COLUMNS, expert_rows(limited)),
        ]
        print(f"database {connection.vendor}; times in seconds")
        print(
            "| importer | rows | with errors | imported | upload + check | confirm | "
            "of which write transaction | of which e-mails |"
        )
        print("|---|---|---|---|---|---|---|---|")
        for importer, header, rows in cases:
            upload = sheet(header, rows, f"{importer.key}.xlsx")
            f = run(importer, upload, office)
            print(
                f"| {importer.key} | {f['rows']} | {f['rejected']} | {f['imported']} | "
                f"{f['upload']:.2f} | {f['confirm']:.2f} | {f['write']:.2f} | {f['mail']:.2f} |"
            )
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
