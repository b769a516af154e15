"""Each automatic item of the formal check's checklist, passing and failing."""

import datetime as dt
from decimal import Decimal

import pytest

from keyprojects.applications.models import Application
from keyprojects.core.clock import now
from keyprojects.selection import checklist
from keyprojects.selection.checklist import FAIL, PASS, WARNING
from keyprojects.selection.models import SimilarityRun

from ..factories import credit_code, make_application, make_organisation, make_user
from .conftest import submitted


def item(application, key):
    application.refresh_from_db()
    return next(i for i in checklist.items_for(application) if i.key == key)


@pytest.fixture
def draft(call, applicant):
    return make_application(call, applicant)


def compared(call, office, at=None):
    """The call's similarity computation, finished (at `at`, by default now)."""
    at = at or now()
    return SimilarityRun.objects.create(
        call=call, requested_by=office, requested_at=at, finished_at=at, state="done"
    )


def test_a_complete_application_passes_every_automatic_item(call, office):
    application = submitted(call)
    compared(call, office)
    items = {i.key: i for i in checklist.items_for(application)}
    automatic = {k: i.auto for k, i in items.items() if i.auto is not None}
    assert automatic == {
        "threshold": PASS,
        "start": PASS,
        "period": PASS,
        "limit": PASS,
        "attachments": PASS,
        "partners": PASS,
        "continuation": PASS,
        "duplicates": PASS,
    }
    assert items["threshold"].detail == "信息化投资 1,000.00 万元。"
    assert items["period"].detail == "计划实施周期 24 个月。"
    # Category fit is the office's judgement, never decided by the machine.
    assert items["category_fit"].auto is None
    assert "数字治理类" in items["category_fit"].label


def test_threshold_fails_below_the_calls_minimum(call, applicant):
    application = make_application(
        call, applicant, total_investment=Decimal("450.00"), civil_works_investment=Decimal("200")
    )
    found = item(application, "threshold")
    assert found.auto == FAIL
    assert "250.00" in found.detail and "300.00" in found.detail


def test_threshold_fails_without_amounts(call, applicant):
    application = make_application(call, applicant, complete=False, name="未填金额")
    assert item(application, "threshold").auto == FAIL


def test_threshold_follows_the_call(call, draft):
    call.min_informatisation_investment = Decimal("1000.01")
    call.save()
    assert item(draft, "threshold").auto == FAIL
    call.min_informatisation_investment = Decimal("1000.00")
    call.save()
    assert item(draft, "threshold").auto == PASS


def test_start_before_the_earliest_month_fails(call, applicant):
    application = make_application(
        call,
        applicant,
        start_month=dt.date(2018, 12, 1),
        planned_completion_month=dt.date(2020, 12, 1),
    )
    found = item(application, "start")
    assert found.auto == FAIL
    assert "2018年12月" in found.detail
    assert item(application, "period").auto == PASS


def test_start_in_the_earliest_month_passes(call, applicant):
    application = make_application(
        call,
        applicant,
        start_month=dt.date(2019, 1, 1),
        planned_completion_month=dt.date(2021, 1, 1),
    )
    assert item(application, "start").auto == PASS


def test_period_far_from_two_years_is_a_warning(call, applicant):
    application = make_application(
        call,
        applicant,
        start_month=dt.date(2019, 3, 1),
        planned_completion_month=dt.date(2023, 3, 1),
    )
    found = item(application, "period")
    assert found.auto == WARNING
    assert "48" in found.detail


def test_period_ending_before_it_starts_fails(call, draft):
    Application.objects.filter(pk=draft.pk).update(planned_completion_month=dt.date(2019, 1, 1))
    assert item(draft, "period").auto == FAIL


def test_limit_fails_when_the_organisation_has_more_than_the_call_allows(call, organisation):
    first = submitted(call, organisation=organisation, name="第一个项目")
    submitted(call, organisation=organisation, name="第二个项目")
    assert item(first, "limit").auto == PASS
    # The office lowers the limit after the submits (or rows came in by another route).
    call.per_applicant_limit = 1
    call.save()
    found = item(first, "limit")
    assert found.auto == FAIL
    assert "第一个项目" in found.detail and "第二个项目" in found.detail


def test_limit_counts_only_submitted_applications(call, organisation):
    first = submitted(call, organisation=organisation, name="已提交的项目")
    make_application(call, organisation.users.first(), name="草稿")
    call.per_applicant_limit = 1
    call.save()
    assert item(first, "limit").auto == PASS


def test_missing_required_attachment_fails(call, applicant):
    application = make_application(call, applicant, attach=False)
    found = item(application, "attachments")
    assert found.auto == FAIL
    assert "立项批复文件" in found.detail


def test_cooperative_project_without_partners_fails(call, applicant):
    application = make_application(
        call,
        applicant,
        is_cooperative=True,
        applicant_role="developer",
        ownership_statement="本单位负责开发，应用单位负责运营。",
    )
    found = item(application, "partners")
    assert found.auto == FAIL
    assert "合作单位" in found.detail


def test_cooperative_project_with_its_partner_passes(call):
    application = submitted(
        call,
        is_cooperative=True,
        applicant_role="developer",
        ownership_statement="本单位负责开发，应用单位负责运营。",
        partners=[
            {
                "role": "user",
                "name": "南京市玄武区数据局",
                "credit_code": credit_code("11320102MB"),
                "work_division": "应用和运营",
            }
        ],
    )
    found = item(application, "partners")
    assert found.auto == PASS
    assert "南京市玄武区数据局（应用单位）" in found.detail


def test_without_the_whole_project_declaration_the_continuation_item_fails(call, applicant):
    application = make_application(call, applicant, declares_whole_project=False)
    assert item(application, "continuation").auto == FAIL


def test_phase_wording_asks_the_office_to_verify(call, applicant):
    application = make_application(call, applicant, name="玄武区城市运行一网统管平台二期")
    found = item(application, "continuation")
    assert found.auto == WARNING
    assert "二期" in found.detail


def test_other_organisations_do_not_count_towards_the_limit(call, regions):
    mine = submitted(call, name="我的项目")
    other = make_user(make_organisation(seat="320102"))
    for name in ["别人的项目一", "别人的项目二"]:
        submitted(call, organisation=other.organisation, name=name)
    call.per_applicant_limit = 1
    call.save()
    assert item(mine, "limit").auto == PASS


def test_no_duplicate_is_a_finding_only_once_the_texts_were_compared(call, office):
    application = submitted(call)
    for key in ["duplicates", "continuation"]:
        found = item(application, key)
        assert found.auto == WARNING, key
        assert "本批次尚未计算相似度" in found.detail
    # a computation still running covers nothing either
    SimilarityRun.objects.create(call=call, requested_by=office, requested_at=now())
    assert item(application, "duplicates").auto == WARNING
    compared(call, office)
    assert item(application, "duplicates").auto == PASS
    assert item(application, "continuation").auto == PASS


def test_a_computation_older_than_the_submission_does_not_cover_it(call, office):
    application = submitted(call)
    compared(call, office, at=application.submitted_at - dt.timedelta(hours=1))
    found = item(application, "duplicates")
    assert found.auto == WARNING
    assert "最近一次相似度计算早于本申报的提交" in found.detail
