"""Each rule of the notice at its boundary, as enforced on submit."""

import datetime as dt
from decimal import Decimal

import pytest

from keyprojects.applications import domain
from keyprojects.applications.models import Partner, PartnerRole
from keyprojects.applications.workflow import Status, TransitionRefused

from ..factories import credit_code, make_application


def wrong_check_character(code):
    return code[:17] + ("0" if code[17] != "0" else "1")


def fields_with_errors(application):
    return {p.field for p in domain.blocking(domain.submission_problems(application))}


def test_complete_application_has_no_problems(call, applicant):
    application = make_application(call, applicant)
    assert domain.submission_problems(application) == []


@pytest.mark.parametrize(
    ("total", "civil", "accepted"),
    [
        ("300.00", "0.00", True),
        ("299.99", "0.00", False),
        ("500.00", "200.00", True),  # exactly 300.00 of informatisation investment
        ("500.00", "200.01", False),  # 299.99
    ],
)
def test_informatisation_investment_threshold(call, applicant, total, civil, accepted):
    application = make_application(
        call,
        applicant,
        total_investment=Decimal(total),
        civil_works_investment=Decimal(civil),
        investment_completed=Decimal("0.00"),
    )
    assert ("total_investment" not in fields_with_errors(application)) is accepted


def test_threshold_message_names_both_amounts(call, applicant):
    application = make_application(
        call,
        applicant,
        total_investment=Decimal("500.00"),
        civil_works_investment=Decimal("200.01"),
        investment_completed=Decimal("0"),
    )
    [problem] = [
        p for p in domain.submission_problems(application) if p.field == "total_investment"
    ]
    assert "299.99" in problem.message and "300.00" in problem.message


def test_civil_works_above_total_is_refused(call, applicant):
    application = make_application(
        call, applicant, total_investment=Decimal("400"), civil_works_investment=Decimal("401")
    )
    assert "civil_works_investment" in fields_with_errors(application)


@pytest.mark.parametrize(
    ("start", "accepted"), [(dt.date(2018, 12, 1), False), (dt.date(2019, 1, 1), True)]
)
def test_earliest_start_month(call, applicant, start, accepted):
    application = make_application(
        call, applicant, start_month=start, planned_completion_month=start.replace(year=2021)
    )
    assert ("start_month" not in fields_with_errors(application)) is accepted


@pytest.mark.parametrize(
    ("months", "warned"), [(24, False), (30, False), (31, True), (18, False), (17, True)]
)
def test_period_far_from_two_years_is_a_warning_not_an_error(call, applicant, months, warned):
    start = dt.date(2019, 1, 1)
    end = dt.date(2019 + (months // 12), 1 + months % 12, 1)
    application = make_application(call, applicant, start_month=start, planned_completion_month=end)
    problems = domain.submission_problems(application)
    warnings = [p for p in problems if p.severity == domain.WARNING]
    assert bool(warnings) is warned
    assert domain.blocking(problems) == []


def test_completion_before_start_is_an_error(call, applicant):
    application = make_application(
        call,
        applicant,
        start_month=dt.date(2020, 5, 1),
        planned_completion_month=dt.date(2020, 5, 1),
    )
    assert "planned_completion_month" in fields_with_errors(application)


def test_continuation_declaration_is_required(call, applicant):
    application = make_application(call, applicant, declares_whole_project=False)
    assert "declares_whole_project" in fields_with_errors(application)
    with pytest.raises(TransitionRefused) as refused:
        domain.submit(application, by=applicant)
    assert "declares_whole_project" in {p.field for p in refused.value.problems}
    application.refresh_from_db()
    assert application.status == Status.DRAFT


def test_required_attachment_missing_blocks_submit(call, applicant):
    application = make_application(call, applicant, attach=False)
    messages = [p.message for p in domain.blocking(domain.submission_problems(application))]
    assert any("立项批复文件" in str(m) for m in messages)


def test_empty_draft_lists_every_missing_field(call, applicant):
    application = make_application(call, applicant, complete=False, attach=False)
    missing = fields_with_errors(application)
    assert {"name", "category", "total_investment", "start_month", "technologies"} <= missing


class TestCooperation:
    def test_cooperative_project_needs_statement_role_and_partner(self, call, applicant):
        application = make_application(call, applicant, is_cooperative=True)
        missing = fields_with_errors(application)
        assert {"applicant_role", "ownership_statement"} <= missing
        assert any(
            "合作单位" in str(p.message)
            for p in domain.submission_problems(application)
            if p.field == "partners"
        )

    def test_partner_must_have_the_other_role_and_a_valid_code(self, call, applicant):
        application = make_application(
            call,
            applicant,
            is_cooperative=True,
            applicant_role=PartnerRole.DEVELOPER,
            ownership_statement="软件著作权归应用单位所有。",
        )
        Partner.objects.create(
            application=application,
            role=PartnerRole.DEVELOPER,
            name="某开发公司",
            credit_code=credit_code(),
        )
        assert any("应用单位" in str(p.message) for p in domain.submission_problems(application))
        Partner.objects.filter(application=application).update(
            role=PartnerRole.USER, credit_code=wrong_check_character(credit_code())
        )
        assert any("校验位" in str(p.message) for p in domain.submission_problems(application))
        Partner.objects.filter(application=application).update(credit_code=credit_code())
        assert domain.blocking(domain.submission_problems(application)) == []


def test_per_applicant_limit_on_submit(call, applicant, colleague):
    first, second, third = (make_application(call, u) for u in (applicant, colleague, applicant))
    domain.submit(first, by=applicant)
    domain.submit(second, by=colleague)
    with pytest.raises(TransitionRefused) as refused:
        domain.submit(third, by=applicant)
    assert "不超过 2 个" in str(refused.value.message)
    # Withdrawing one frees a place.
    domain.withdraw(first, by=applicant, reason="调整申报项目")
    domain.submit(third, by=applicant)
    third.refresh_from_db()
    assert third.status == Status.SUBMITTED


def test_limit_counts_only_this_call(call, applicant, regions):
    from ..factories import make_call

    other_call = make_call(slug="other")
    for _ in range(2):
        domain.submit(make_application(other_call, applicant), by=applicant)
    application = make_application(call, applicant)
    assert domain.submit(application, by=applicant).status == Status.SUBMITTED
