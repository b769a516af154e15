"""The simulated applicants of bench_surge.py: what they post (the whole 申报表, as htmx
does), how each spends the deadline evening (arrival, then filling) and the back-to-back
capacity loops. Runs in the bench's child process, where Django is set up (the password
comes from _data)."""

import asyncio
import random
import re
import time

import _server
from _server import Samples, timed

RAMP = 10.0  # seconds over which users arrive
THINK = (1.0, 2.0)  # seconds between two steps of one user
ARRIVAL_STEPS = ["login page", "login", "home", "start", "open form"]
STEPS = [*ARRIVAL_STEPS, "autosave", "upload 1 MB PDF", "submit"]
VERSION = re.compile(r'id="id_version" value="(\d+)"')
EDITOR_TOKEN = re.compile(r'name="editor_token" value="([0-9a-f]+)"')


class Plan:
    """What every simulated user sends: the same complete form, a changing summary."""

    def __init__(self, slug, category, autosaves, pdf):
        self.slug, self.category, self.autosaves, self.pdf = slug, category, autosaves, pdf

    def form(self, k, version, editor_token, csrf="", who=""):
        """The whole 申报表 as the browser posts it; `summary` says which save this is."""
        return {
            "csrfmiddlewaretoken": csrf,
            "version": str(version),
            "editor_token": editor_token,
            "name": f"{who}城市运行一网统管平台",
            "category": str(self.category),
            "summary": f"第{k}次保存：以数据汇聚和智能分析支撑城市运行管理（{who}）",
            "construction_content": "建设城市运行管理中心、数据中台和十二个应用场景。" * k,
            "innovation": "首创街道级事件闭环处置机制。",
            "technologies": ["ai", "big_data", "iot"],
            "technologies_other": "",
            "core_technology": "自主研发事件智能分拨引擎。",
            "domestic_products": "国产服务器、操作系统和数据库。",
            "security_level": "3",
            "security_protection": "按等保三级建设，部署态势感知。",
            "in_it_plan": "true",
            "it_plan_name": "“十四五”信息化发展规划",
            "approval_document_no": "发改〔2025〕12号",
            "management_systems": ["legal_person", "tendering", "supervision"],
            "problems_solved": "解决多头受理、推诿扯皮问题。",
            "users_served": "全区65万居民",
            "economic_benefit": "每年节约运维费用300万元。",
            "social_benefit": "事件处置时长缩短40%。",
            "promotion_prospects": "可在全省区县推广。",
            "total_investment": "1200.00",
            "civil_works_investment": "200.00",
            "funding_sources": "财政资金",
            "investment_completed": "600.00",
            "start_month": "2019-03",
            "planned_completion_month": "2021-03",
            "contact_name": "王五",
            "contact_phone": "13800000000",
            "contact_email": "wangwu@example.com",
            "applicant_role": "",
            "ownership_statement": "",
            "declares_whole_project": "on",
            "declares_truthful": "on",
            "partners-TOTAL_FORMS": "2",
            "partners-INITIAL_FORMS": "0",
            "partners-MIN_NUM_FORMS": "0",
            "partners-MAX_NUM_FORMS": "10",
            **{f"partners-{i}-{f}": "" for i in range(2) for f in PARTNER_FIELDS},
        }


PARTNER_FIELDS = ["role", "name", "credit_code", "work_division"]


def one_megabyte_pdf() -> bytes:
    """A valid one-page PDF of about 1 MB (a long content stream of harmless operators)."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    stream = DecodedStreamObject()
    stream.set_data(b"q 1 0 0 1 0 0 cm Q\n" * (1024 * 1024 // 19))
    page[NameObject("/Contents")] = writer._add_object(stream)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


async def think(rng):
    await asyncio.sleep(rng.uniform(*THINK))


class Surge:
    """What the simulated users share: the samples per step, the last value each saved, and
    the moment every user has arrived (logged in, started, opened the form)."""

    def __init__(self, base, plan, users, max_seconds, login_base=""):
        self.base, self.plan, self.users = base, plan, users
        # The login page on its own gunicorn pool, as docs/deployment.md's nginx routes it
        # (the session cookie is the host's, whatever the port).
        self.login_url = f"{login_base or base}/accounts/login/"
        self.steps = {name: Samples() for name in STEPS}
        self.saved = {}
        self.done_arriving, self.all_in = 0, asyncio.Event()
        self.started = self.filling_from = self.deadline = None
        self.max_seconds = max_seconds
        self.unfinished = self.arrived = 0  # users stopped by the cap; users who got in

    def through_arrival(self):
        """One more user is through the arrival phase, in or not."""
        self.done_arriving += 1
        if self.done_arriving == self.users:
            self.filling_from = time.perf_counter()
            self.deadline = self.filling_from + self.max_seconds
            self.all_in.set()

    def too_late(self) -> bool:
        return time.perf_counter() > self.deadline


async def applicant(surge, username, rng):
    """One applicant's evening: arrive (log in, start, open the form), wait until everyone
    has, then fill it in (autosaves), attach the approval and submit."""
    await asyncio.sleep(rng.uniform(0, RAMP))
    async with _server.client(surge.base, keepalive=False) as http:
        try:
            opened = await _arrive(surge, http, username, rng)
        finally:
            surge.through_arrival()
        if opened:
            surge.arrived += 1
            await surge.all_in.wait()
            await _fill_and_submit(surge, http, username, rng, *opened)


def _ok(status, location_end=None, pattern=None):
    def check(r):
        if r.status_code != status:
            return False
        if location_end is not None:
            return r.headers["location"].endswith(location_end)
        return pattern is None or pattern.search(r.text) is not None

    return check


async def _arrive(surge, http, username, rng):
    """Log in, open the home page, start an application, open its form; returns what
    filling it needs, or None when a step failed."""
    from _data import PASSWORD

    steps = surge.steps
    page = await timed(steps["login page"], http.get(surge.login_url), _ok(200))
    if page is None or page.status_code != 200:
        return None
    form = {"username": username, "password": PASSWORD}
    form["csrfmiddlewaretoken"] = _server.csrf_token(page.text)
    login = await timed(steps["login"], http.post(surge.login_url, data=form), _ok(302))
    if login is None or login.status_code != 302:
        return None
    await think(rng)
    home = await timed(steps["home"], http.get("/applicant/"), _ok(200))
    if home is None or home.status_code != 200:
        return None
    await think(rng)
    start_url = f"/applicant/calls/{surge.plan.slug}/start/"
    started = await timed(
        steps["start"],
        http.post(start_url, data={"csrfmiddlewaretoken": _server.csrf_token(home.text)}),
        _ok(302, location_end="/edit/"),
    )
    if started is None or not started.headers.get("location", "").endswith("/edit/"):
        return None
    edit_url = started.headers["location"]
    await think(rng)
    page = await timed(steps["open form"], http.get(edit_url), _ok(200, pattern=EDITOR_TOKEN))
    if page is None or page.status_code != 200 or not EDITOR_TOKEN.search(page.text):
        return None
    return (
        edit_url.rstrip("/").split("/")[-2],  # the application's id
        _server.csrf_token(page.text),
        EDITOR_TOKEN.search(page.text).group(1),
        int(VERSION.search(page.text).group(1)),
    )


async def _fill_and_submit(surge, http, username, rng, pk, csrf, token, version):
    steps, plan = surge.steps, surge.plan
    for k in range(1, plan.autosaves + 1):
        await think(rng)
        if surge.too_late():
            surge.unfinished += 1
            return
        form = plan.form(k, version, token, csrf, who=username)
        saved = await timed(
            steps["autosave"],
            http.post(f"/applicant/{pk}/autosave/", data=form, headers={"HX-Request": "true"}),
            _ok(200, pattern=VERSION),
        )
        if saved is not None and saved.status_code == 200 and VERSION.search(saved.text):
            version = int(VERSION.search(saved.text).group(1))
            surge.saved[pk] = (username, form["summary"], len(form["construction_content"]))
    await think(rng)
    await timed(
        steps["upload 1 MB PDF"],
        http.post(
            f"/applicant/{pk}/attachments/",
            data={"csrfmiddlewaretoken": csrf, "kind": "approval"},
            files={"file": ("立项批复.pdf", plan.pdf, "application/pdf")},
        ),
        _ok(302, location_end="/edit/"),
    )
    await think(rng)
    await timed(
        steps["submit"],
        http.post(f"/applicant/{pk}/submit/", data={"csrfmiddlewaretoken": csrf}),
        # A submitted application goes to its page; a refused submit back to the form.
        lambda r: r.status_code == 302 and not r.headers["location"].endswith("/edit/"),
    )


async def surge_run(base, plan, usernames, max_seconds, login_base=""):
    surge = Surge(base, plan, len(usernames), max_seconds, login_base)
    surge.started = time.perf_counter()
    await asyncio.gather(
        *(applicant(surge, name, random.Random(i)) for i, name in enumerate(usernames))
    )
    ended = time.perf_counter()
    arrival, filling = surge.filling_from - surge.started, ended - surge.filling_from
    steps = {}
    for name, samples in surge.steps.items():
        steps[name] = samples.summary(arrival if name in ARRIVAL_STEPS else filling)
    return {
        "steps": steps,
        "arrival": arrival,
        "filling": filling,
        "filling_rps": sum(len(s.times) for n, s in surge.steps.items() if n not in ARRIVAL_STEPS)
        / filling,
        "unfinished": surge.unfinished,
        "arrived": surge.arrived,
        "saved": surge.saved,
    }


async def capacity_run(base, plan, accounts, budget):
    """Back-to-back requests: the trivial view; signed in, the trivial view behind login and
    the floor of a save (bench/urls_bench.py); then autosaves of each client's own draft."""
    from _data import PASSWORD

    clients = len(accounts)
    async with _server.client(base, max_connections=clients) as anonymous:
        trivial, trivial_wall = await _server.closed_loop(
            lambda i: anonymous.get("/bench/trivial/"), clients, budget * 2, max_seconds=30
        )
    sessions = []
    for username, pk in accounts:
        http = _server.client(base)
        await _server.log_in(http, username, PASSWORD)
        page = await http.get(f"/applicant/{pk}/edit/")
        sessions.append(
            {
                "http": http,
                "pk": str(pk),
                "csrf": _server.csrf_token(page.text),
                "token": EDITOR_TOKEN.search(page.text).group(1),
                "version": int(VERSION.search(page.text).group(1)),
                "k": 0,
                "who": username,
            }
        )
    # The floors: what any signed-in request costs, and any save of a draft under its lock.
    signed_in, signed_in_wall = await _server.closed_loop(
        lambda i: sessions[i]["http"].get("/bench/signed-in/"), clients, budget, max_seconds=30
    )
    floor, floor_wall = await _server.closed_loop(
        lambda i: sessions[i]["http"].post(
            f"/bench/floor-save/{sessions[i]['pk']}/",
            data={"csrfmiddlewaretoken": sessions[i]["csrf"]},
        ),
        clients,
        budget,
        max_seconds=30,
    )
    record = {}

    async def autosave(i):
        s = sessions[i]
        s["k"] += 1
        form = plan.form(s["k"], s["version"], s["token"], s["csrf"], who=s["who"])
        response = await s["http"].post(
            f"/applicant/{s['pk']}/autosave/", data=form, headers={"HX-Request": "true"}
        )
        if response.status_code == 200:
            s["version"] = int(VERSION.search(response.text).group(1))
            record[s["pk"]] = (s["who"], form["summary"], len(form["construction_content"]))
        return response

    saves, saves_wall = await _server.closed_loop(autosave, clients, budget, max_seconds=60)
    for s in sessions:
        await s["http"].aclose()
    return {
        "clients": clients,
        "trivial": trivial.summary(trivial_wall),
        "signed_in": signed_in.summary(signed_in_wall),
        "floor_save": floor.summary(floor_wall),
        "autosave": saves.summary(saves_wall),
        "saved": {pk: list(v) for pk, v in record.items()},
    }
