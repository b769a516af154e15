"""Duplicate and continuation detection: pure text functions, then the index of a call
computed by the background task (run at once in tests) and the office's rulings."""

import re

import pytest
from django.urls import reverse

from keyprojects.audit.domain import history
from keyprojects.core.clock import now
from keyprojects.orgs.models import Region
from keyprojects.selection import checklist, domain, indexing, similarity
from keyprojects.selection.models import SimilarityRun, SimilarPair
from keyprojects.tracking.models import TrackedProject

from ..factories import credit_code, make_organisation
from . import texts
from .conftest import recommended

# --- Plain text -------------------------------------------------------------------------


def test_normalise_removes_punctuation_spaces_and_folds_full_width():
    assert similarity.normalise("建设 “一网通办”，ＡＩ平台！（2020）") == "建设一网通办ai平台2020"


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("徐州市智慧水务平台二期", ["二期"]),
        ("智慧水务（三期）工程", ["三期"]),
        ("第2期项目", ["第2期"]),
        ("数据中心续建工程", ["续建"]),
        ("本项目为第二阶段建设", ["第二阶段"]),
        ("实施周期两年，长期运营，“十四五”期间推广，期末验收", []),
    ],
)
def test_continuation_wording(text, terms):
    assert similarity.continuation_terms(text) == terms


def test_phase_wording_is_removed_from_names_before_comparing():
    assert similarity.strip_phase("徐州市智慧水务平台（二期）") == "徐州市智慧水务平台"
    assert similarity.strip_phase("徐州市智慧水务平台二期工程") == "徐州市智慧水务平台"


def test_find_pairs_on_plain_documents():
    doc = similarity.Document
    found = similarity.find_pairs(
        [
            doc("a:1", "智慧水务平台", texts.WATER),
            doc("a:2", "水务综合管理平台", texts.WATER_BY_PARTNER),
            doc("a:3", "区域教育云平台", texts.EDUCATION),
            doc("p:1", "全民健康信息平台", texts.HEALTH, past=True),
        ]
    )
    assert [(m.left.key, m.right.key) for m in found] == [("a:1", "a:2")]
    match = found[0]
    assert match.jaccard > 0.6
    assert abs(match.estimated - match.jaccard) < 0.15  # MinHash estimates the Jaccard


# --- The index of a call ----------------------------------------------------------------


def run_index(client, office, call):
    client.force_login(office)
    response = client.post(reverse("selection:run_similarity", args=[call.slug]))
    assert response.status_code == 302


@pytest.fixture
def partners(regions):
    """A developer (南京) and a user unit (苏州) of one cooperative project."""
    return make_organisation(seat="320102"), make_organisation(seat="320505")


def cooperative(call, applicant, partner, role, content, name):
    return recommended(
        call,
        organisation=applicant,
        name=name,
        summary="项目简介见建设内容",
        construction_content=content,
        is_cooperative=True,
        applicant_role=role,
        ownership_statement="开发单位负责建设，应用单位负责运营，成果归应用单位所有。",
        partners=[
            {
                "role": "user" if role == "developer" else "developer",
                "name": partner.name,
                "credit_code": partner.credit_code,
                "work_division": "合作建设",
            }
        ],
    )


def test_a_project_applied_twice_by_its_two_partners_is_found(client, call, office, partners):
    developer, user_unit = partners
    first = cooperative(call, developer, user_unit, "developer", texts.WATER, "城市智慧水务平台")
    second = cooperative(
        call, user_unit, developer, "user", texts.WATER_BY_PARTNER, "智慧水务综合管理平台"
    )
    recommended(
        call,
        name="区域教育云平台",
        summary="项目简介见建设内容",
        construction_content=texts.EDUCATION,
    )

    run_index(client, office, call)

    run = SimilarityRun.objects.get(call=call)
    assert run.state == SimilarityRun.State.DONE
    assert (run.documents, run.pairs) == (3, 1)
    pair = SimilarPair.objects.get()
    assert {pair.application, pair.other_application} == {first, second}
    assert pair.jaccard > 0.6 and pair.estimated_jaccard > 0.45
    assert sorted(pair.shared_parties) == sorted([developer.credit_code, user_unit.credit_code])
    assert "二次供水泵房远程监控和水厂智能加药系统，实现从水源到龙头的全过程监管，" in "".join(
        pair.passages
    )
    assert not pair.continuation

    page = client.get(reverse("selection:pair", args=[pair.pk])).content.decode()
    assert re.search(
        r"<mark>[^<]*二次供水泵房远程监控和水厂智能加药系统，实现从水源到龙头的全过程监管，", page
    )
    # Both applications show the pair on their checklist page.
    for application in (first, second):
        body = client.get(reverse("selection:check", args=[application.pk])).content.decode()
        assert reverse("selection:pair", args=[pair.pk]) in body
        assert (
            next(i for i in checklist.items_for(application) if i.key == "duplicates").auto
            == checklist.WARNING
        )


def earlier_key_project(**fields):
    """A key project of an earlier year, as the tracking app's XLSX import leaves it."""
    values = {
        "credit_code": credit_code("12320000MB"),
        "category_name": "数字治理类",
        "informatisation_investment": 500,
        "source": TrackedProject.Source.IMPORTED,
        "created_at": now(),
        **fields,
    }
    return TrackedProject.objects.create(**values)


def test_the_second_phase_of_an_earlier_key_project_is_flagged(client, call, office):
    past = earlier_key_project(
        year=call.year - 1,
        name="徐州市智慧水务平台",
        applicant_name="徐州市自来水公司",
        credit_code=credit_code("91320300MA"),
        city=Region.objects.get(code="320300"),
        content=texts.WATER_PHASE_ONE,
    )
    application = recommended(
        call,
        seat="320302",
        name="徐州市智慧水务平台二期",
        summary="项目简介见建设内容",
        construction_content=texts.WATER_PHASE_TWO,
    )

    run_index(client, office, call)

    pair = SimilarPair.objects.get()
    assert (pair.application, pair.past_project) == (application, past)
    assert pair.continuation
    assert "二期" in pair.continuation_terms
    assert pair.name_jaccard == 1.0
    item = next(i for i in checklist.items_for(application) if i.key == "continuation")
    assert item.auto == checklist.WARNING
    assert "徐州市智慧水务平台" in item.detail and "疑似续期" in item.detail
    overview = client.get(reverse("selection:overview", args=[call.slug])).content.decode()
    assert "疑似续期" in overview


def test_unrelated_projects_are_not_paired(client, call, office):
    recommended(
        call,
        name="城市智慧水务平台",
        summary="项目简介见建设内容",
        construction_content=texts.WATER,
    )
    recommended(
        call,
        name="区域教育云平台",
        summary="项目简介见建设内容",
        construction_content=texts.EDUCATION,
    )
    earlier_key_project(
        year=call.year - 1, name="全民健康信息平台", applicant_name="省卫健委", content=texts.HEALTH
    )
    run_index(client, office, call)
    assert SimilarityRun.objects.get().state == SimilarityRun.State.DONE
    assert not SimilarPair.objects.exists()


def test_key_projects_of_the_same_year_are_not_earlier_ones(call, office):
    earlier_key_project(
        year=call.year, name="城市智慧水务平台", applicant_name="某单位", content=texts.WATER
    )
    recommended(
        call,
        name="城市智慧水务平台",
        summary="项目简介见建设内容",
        construction_content=texts.WATER,
    )
    assert [d.past for d in indexing.documents_for(call)] == [False]


def test_rulings_are_recorded_and_survive_a_new_computation(client, call, office):
    first = recommended(
        call,
        name="城市智慧水务平台",
        summary="项目简介见建设内容",
        construction_content=texts.WATER,
    )
    recommended(
        call,
        name="智慧水务管理平台",
        summary="项目简介见建设内容",
        construction_content=texts.WATER_BY_PARTNER,
    )
    run_index(client, office, call)
    pair = SimilarPair.objects.get()
    url = reverse("selection:pair", args=[pair.pk])

    refused = client.post(url, {"verdict": "not_duplicate", "note": ""})
    assert refused.status_code == 400
    assert "请简要说明理由" in refused.content.decode()
    assert client.post(url, {"verdict": "not_duplicate", "note": "两区分别建设"}).status_code == 302

    run_index(client, office, call)
    pair.refresh_from_db()
    assert (pair.verdict, pair.verdict_note, pair.verdict_by) == (
        "not_duplicate",
        "两区分别建设",
        office,
    )
    assert pair.current
    event = history(pair).get()
    assert (event.actor, event.from_state, event.to_state) == (office, "", "not_duplicate")
    # Ruled out: no longer a suspicion on the checklist.
    assert not checklist.suspected_pairs(first).exists()


def test_a_pair_no_longer_found_keeps_its_ruling_but_is_marked(client, call, office):
    first = recommended(
        call,
        name="城市智慧水务平台",
        summary="项目简介见建设内容",
        construction_content=texts.WATER,
    )
    recommended(
        call,
        name="智慧水务管理平台",
        summary="项目简介见建设内容",
        construction_content=texts.WATER_BY_PARTNER,
    )
    run_index(client, office, call)
    pair = SimilarPair.objects.get()
    domain.judge_pair(pair, SimilarPair.Verdict.DUPLICATE, note="同一项目", by=office)
    first.construction_content = texts.HEALTH
    first.save()
    run_index(client, office, call)
    pair.refresh_from_db()
    assert (pair.verdict, pair.current) == ("duplicate", False)
    # A confirmed duplicate stays a failing item on the checklist.
    item = next(i for i in checklist.items_for(first) if i.key == "duplicates")
    assert item.auto == checklist.FAIL


def test_a_second_computation_is_refused_while_one_is_pending(call, office):
    SimilarityRun.objects.create(call=call, requested_by=office, requested_at=now())
    with pytest.raises(domain.CheckRefused):
        indexing.start_run(call, by=office)


def test_suspected_continuations_come_first_however_little_text_they_share(client, call, office):
    a, b, c = (
        recommended(call, seat=seat, name=f"项目{seat}") for seat in ["320102", "320505", "320281"]
    )
    alike = {"call": call, "found_at": now(), "estimated_jaccard": 0.9, "name_jaccard": 0.2}
    most_alike = SimilarPair.objects.create(
        application=a, other_application=b, jaccard=0.9, **alike
    )
    second_phase = SimilarPair.objects.create(
        application=c, other_application=a, jaccard=0.1, continuation=True, **alike
    )
    client.force_login(office)
    page = client.get(reverse("selection:duplicates", args=[call.slug])).context["page"]
    assert [p.pk for p in page] == [second_phase.pk, most_alike.pk]
