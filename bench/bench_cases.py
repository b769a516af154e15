"""Benchmark of typical cases: the public search and the yearly collection PDF.

    .venv/bin/python bench/bench_cases.py [--cases 5000] [--collection 50] [--seed 2020]

Builds a throw-away test database (SQLite in memory by default; PostgreSQL with
DATABASE_URL, as a `test_…` database on the same server), fills it with generated Chinese
cases, then times the very code the pages run: the library's search (every term a
substring, title matches first) for one- and two-term queries, and the rendering of one
year's collection PDF with figures and one picture per case (what the background task does).
"""

import argparse
import io
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyprojects.settings")

import django

django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

PLACES = ["玄武区", "姑苏区", "沛县", "江阴市", "海门区", "宿城区", "亭湖区", "邗江区"]
SUBJECTS = ["城市运行", "智慧水务", "工业互联网", "智慧农业", "社会治理", "数字乡村", "交通"]
KINDS = ["一网统管平台", "大数据中心", "综合服务平台", "数字孪生系统", "监测预警平台"]
PHRASES = [
    "汇聚视频、物联感知和政务数据",
    "建设区、街道、社区三级联动的指挥中心",
    "事件从发现、派单到处置、核查全程闭环",
    "以数字孪生底座支撑精细化管理",
    "打通部门数据壁垒，实现一次采集多方复用",
    "依托人工智能识别违规行为并自动预警",
    "建设统一身份认证和数据共享交换平台",
    "采用国产化服务器、操作系统和数据库",
]
QUERIES = ["数字孪生", "一网统管", "物联感知 闭环", "水务 预警", "不存在的词"]


def picture() -> SimpleUploadedFile:
    image = Image.new("RGB", (1600, 900), (20, 40, 70))
    draw = ImageDraw.Draw(image)
    for index in range(6):
        draw.rectangle([180 + index * 210, 300, 300 + index * 210, 800], fill=(210, 60, 50))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return SimpleUploadedFile("x.jpg", out.getvalue())


def build(count: int, collection_size: int, rng: random.Random):
    from django.contrib.auth.models import Group

    from keyprojects.applications.models import Application
    from keyprojects.applications.workflow import Status
    from keyprojects.calls.reference import call_spec, load_call
    from keyprojects.cases import domain, search
    from keyprojects.cases.models import Case, Figure
    from keyprojects.core.clock import now
    from keyprojects.orgs.models import OFFICE_GROUP, Organisation, Region, User
    from keyprojects.orgs.reference import load_authorities, load_departments, load_regions

    load_regions()
    load_departments()
    load_authorities()
    at = now()
    call = load_call(
        call_spec(),
        slug="bench",
        window_opens_at=at,
        window_closes_at=at,
        recommendation_deadline=at,
    )
    user = User.objects.create(username="bench")
    seats = list(Region.objects.filter(kind="district")[:20])
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"测试单位{i}",
            credit_code=f"91320000BENCH{i:05d}",
            kind="enterprise",
            seat=seats[i % len(seats)],
            address="-",
            legal_representative="-",
            contact_name="-",
            contact_phone="-",
            contact_email="a@example.com",
        )
        for i in range(200)
    )
    categories = list(call.categories.all())
    applications = Application.objects.bulk_create(
        Application(
            call=call,
            organisation=organisations[i % 200],
            status=Status.SELECTED,
            created_by=user,
            name=f"case{i}",
        )
        for i in range(count)
    )
    cases = []
    for i, application in enumerate(applications):
        organisation = organisations[i % 200]
        title = f"{rng.choice(PLACES)}{rng.choice(SUBJECTS)}{rng.choice(KINDS)}"
        case = Case(
            application=application,
            year=call.year,
            category=categories[i % len(categories)],
            organisation=organisation,
            city=organisation.seat.parent,
            state=Case.State.PUBLISHED,
            published_at=at,
            created_by=user,
            updated_by=user,
            title=title,
            summary="，".join(rng.sample(PHRASES, 2)) + "。",
            problem="，".join(rng.sample(PHRASES, 3)) + "。",
            solution="。".join(rng.choice(PHRASES) for _ in range(12)) + "。",
            technologies="人工智能、大数据、物联网",
            results="服务群众超过百万人次。",
        )
        case.organisation, case.category = organisation, categories[i % len(categories)]
        case.search_title, case.search_text = search.search_fields(case, [])
        cases.append(case)
    Case.objects.bulk_create(cases, batch_size=500)
    # The collection: `collection_size` cases of another year, with figures and a picture.
    year = call.year - 1
    chosen = cases[:collection_size]
    Case.objects.filter(pk__in=[c.pk for c in chosen]).update(year=year, state="draft")
    Figure.objects.bulk_create(
        Figure(case=c, label=label, value=Decimal(value), unit=unit, order=n)
        for c in chosen
        for n, (label, value, unit) in enumerate(
            [("服务人次", "1200", "万"), ("节约", "300", "万元")]
        )
    )
    user.groups.add(Group.objects.get_or_create(name=OFFICE_GROUP)[0])
    for case in chosen:
        domain.add_image(case, picture(), caption="建设成效示意图", by=user)
    Case.objects.filter(pk__in=[c.pk for c in chosen]).update(state="published")
    return year


def time_search(rounds=5):
    from keyprojects.cases import queries, search

    rows = []
    for query in QUERIES:
        terms = search.terms(query)
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            cases = queries.library(query_terms=terms)
            total = cases.count()
            page = list(cases[:12])
            snippets = [search.snippet(c, terms) for c in page]
            samples.append(time.perf_counter() - started)
        rows.append((query, total, len(snippets), statistics.median(samples) * 1000))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5000)
    parser.add_argument("--collection", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()
    from django.conf import settings

    settings.MEDIA_ROOT = Path("/tmp") / f"bench-cases-{os.getpid()}"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    original = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        started = time.perf_counter()
        year = build(args.cases, args.collection, random.Random(args.seed))
        print(
            f"database {connection.vendor}; built {args.cases} cases in "
            f"{time.perf_counter() - started:.1f} s"
        )
        print("| query | matches | shown | median ms (count + page + snippets) |")
        print("|---|---|---|---|")
        for query, total, shown, ms in time_search():
            print(f"| {query} | {total} | {shown} | {ms:.1f} |")
        from keyprojects.cases import collection

        cases = list(collection.published_cases(year))
        started = time.perf_counter()
        pdf = collection.render(year, cases)
        seconds = time.perf_counter() - started
        print(
            f"collection PDF: {len(cases)} cases, 1 picture each: {seconds:.1f} s, "
            f"{len(pdf) / 1024 / 1024:.1f} MB (first render includes loading the font)"
        )
        started = time.perf_counter()
        collection.render(year, cases)
        print(f"collection PDF again (font loaded): {time.perf_counter() - started:.1f} s")
    finally:
        connection.creation.destroy_test_db(original, verbosity=0)


if __name__ == "__main__":
    main()
