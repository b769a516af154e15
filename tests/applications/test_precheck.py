"""The pre-check beside the form and submit agree: pre-check says "ready" ⇔ submit succeeds.

Both run domain.submit_problems(); these tests hold them together on generated incomplete
applications (hypothesis) and through the pages, and check the per-section marks and the
links that lead to each field.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from keyprojects.applications import domain, precheck
from keyprojects.applications.models import Application, Partner, PartnerRole
from keyprojects.applications.workflow import Status, TransitionRefused
from keyprojects.orgs.models import Organisation

from ..factories import credit_code, make_application
from .test_drafts import _post_values, form_data


def _blank(field):
    def apply(application):
        value = None if field in {"category", "total_investment"} else ""
        Application.objects.filter(pk=application.pk).update(**{field: value})

    return apply


def _update(**values):
    return lambda application: Application.objects.filter(pk=application.pk).update(**values)


def _cooperative(partner_role=None, code=None):
    def apply(application):
        _update(
            is_cooperative=True,
            applicant_role=PartnerRole.DEVELOPER,
            ownership_statement="软件著作权归应用单位所有。",
        )(application)
        if partner_role:
            Partner.objects.create(
                application=application,
                role=partner_role,
                name="某区大数据局",
                credit_code=code or credit_code("11320102MB"),
            )

    return apply


def _no_attachment(application):
    application.attachments.all().delete()


def _limit_reached(application):
    for _ in range(application.call.per_applicant_limit):
        Application.objects.create(
            call=application.call,
            organisation=application.organisation,
            created_by=application.created_by,
            status=Status.SUBMITTED,
            name="已提交的项目",
        )


def _no_authority(application):
    # A provincial unit with no supervising department: nobody to route it to.
    Organisation.objects.filter(pk=application.organisation_id).update(
        kind=Organisation.Kind.PROVINCIAL_UNIT, supervising_department=None
    )


# name → (change, whether a submit must be refused because of it)
CHANGES = {
    "no_name": (_blank("name"), True),
    "no_category": (_blank("category"), True),
    "no_total": (_blank("total_investment"), True),
    "no_email": (_blank("contact_email"), True),
    "below_threshold": (
        _update(total_investment=Decimal("299.99"), civil_works_investment=Decimal("0")),
        True,
    ),
    "civil_above_total": (_update(civil_works_investment=Decimal("1300")), True),
    "start_too_early": (_update(start_month=dt.date(2018, 12, 1)), True),
    "period_far_from_two_years": (_update(planned_completion_month=dt.date(2023, 3, 1)), False),
    "no_technology": (_update(technologies=[]), True),
    "other_technology_unnamed": (_update(technologies=["other"], technologies_other=""), True),
    "cooperative_without_partner": (_cooperative(), True),
    "cooperative_complete": (_cooperative(PartnerRole.USER), False),
    "partner_with_bad_code": (_cooperative(PartnerRole.USER, "11320102MB0000000X"), True),
    "no_attachment": (_no_attachment, True),
    "not_declared_whole": (_update(declares_whole_project=False), True),
    "limit_reached": (_limit_reached, True),
    "no_authority": (_no_authority, True),
}
COOPERATION = {"cooperative_without_partner", "cooperative_complete", "partner_with_bad_code"}


def _reset(organisation):
    Application.objects.filter(organisation=organisation).delete()
    Organisation.objects.filter(pk=organisation.pk).update(kind=Organisation.Kind.ENTERPRISE)


def _applied(call, applicant, changes):
    application = make_application(call, applicant)
    for name in sorted(changes):
        CHANGES[name][0](application)
    return Application.objects.get(pk=application.pk)


def check_precheck_agrees_with_submit(application, applicant):
    """The pre-check's verdict and messages are exactly what submit() does and says."""
    report = precheck.report(application)
    shown_errors = {
        str(p.message)
        for s in report.sections
        for p, _link in s.problems
        if p.severity == domain.ERROR
    }
    try:
        domain.submit(application, by=applicant)
    except TransitionRefused as refused:
        submitted, refused_with = False, {str(p.message) for p in refused.problems}
    else:
        submitted, refused_with = True, set()
    assert report.ready is submitted
    assert refused_with == shown_errors
    return submitted


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    st.sets(st.sampled_from(sorted(CHANGES)), max_size=3).filter(
        lambda s: len(s & COOPERATION) <= 1  # one way of being cooperative at a time
    )
)
def test_precheck_ready_iff_submit_succeeds(call, applicant, changes):
    _reset(applicant.organisation)
    application = _applied(call, applicant, changes)
    submitted = check_precheck_agrees_with_submit(application, applicant)
    # An oracle independent of both: only the changes that the notice forbids block.
    assert submitted is not any(CHANGES[name][1] for name in changes)


@pytest.mark.parametrize(
    ("change", "section"),
    [
        ("no_name", "project"),
        ("no_technology", "project"),
        ("below_threshold", "money"),
        ("no_email", "contact"),
        ("cooperative_without_partner", "cooperation"),
        ("partner_with_bad_code", "cooperation"),
        ("not_declared_whole", "declaration"),
        ("no_attachment", "attachments"),
        ("limit_reached", "organisation"),
        ("no_authority", "organisation"),
    ],
)
def test_each_problem_is_counted_in_its_section(call, applicant, change, section):
    report = precheck.report(_applied(call, applicant, {change}))
    missing = {s.key for s in report.sections if s.state == precheck.MISSING}
    assert missing == {section}
    assert not report.ready


def test_a_warning_marks_its_section_but_does_not_block(call, applicant):
    report = precheck.report(_applied(call, applicant, {"period_far_from_two_years"}))
    assert report["money"].state == precheck.WARNING
    assert report.ready
    assert {s.state for s in report.sections if s.key != "money"} == {precheck.DONE}


def test_problems_link_to_the_field_or_block_to_fix(call, applicant):
    application = _applied(
        call, applicant, {"no_name", "cooperative_without_partner", "no_attachment"}
    )
    links = {p.field: link for s in precheck.report(application).sections for p, link in s.problems}
    assert links["name"] == "#id_name"
    assert links["partners"] == "#partners"
    assert links["attachments"] == "#attachments"


# --- Through the pages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "ready"),
    [
        (set(), True),
        ({"period_far_from_two_years"}, True),
        ({"no_attachment"}, False),
        ({"limit_reached"}, False),
        ({"below_threshold", "no_name"}, False),
    ],
)
def test_the_panel_after_an_autosave_agrees_with_the_submit_button(
    client, call, applicant, changes, ready
):
    application = _applied(call, applicant, changes)
    client.force_login(applicant)
    values = {**form_data(application, application.version, "tab-a"), **_post_values(application)}
    saved = client.post(reverse("applications:autosave", args=[application.pk]), values)
    assert saved.status_code == 200
    panel = saved.content.decode()
    assert ("已符合提交条件" in panel) is ready
    values["version"] = Application.objects.get(pk=application.pk).version
    client.post(reverse("applications:edit", args=[application.pk]), {**values, "submit": "1"})
    application.refresh_from_db()
    assert (application.status == Status.SUBMITTED) is ready


def test_autosave_refreshes_each_section_mark(client, call, applicant):
    application = _applied(call, applicant, {"no_attachment"})
    client.force_login(applicant)
    values = {**form_data(application, application.version, "tab-a"), **_post_values(application)}
    values["name"] = ""
    page = client.post(reverse("applications:autosave", args=[application.pk]), values)
    text = page.content.decode()
    for key in ["project", "results", "money", "contact", "cooperation", "declaration"]:
        assert f'id="mark-{key}"' in text
    assert 'id="mark-project" class="badge section-mark mark-missing' in text
    assert 'id="mark-money" class="badge section-mark mark-done' in text
    assert 'id="mark-attachments" class="badge section-mark mark-missing' in text
    assert 'href="#id_name"' in text and 'href="#attachments"' in text


def test_edit_page_shows_marks_and_the_panel(client, call, applicant):
    application = _applied(call, applicant, {"below_threshold"})
    client.force_login(applicant)
    page = client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert 'id="section-money"' in page
    assert 'id="mark-money" class="badge section-mark mark-missing' in page
    assert 'id="mark-project" class="badge section-mark mark-done' in page
    assert "低于本批次要求的 300.00 万元" in page
    assert 'href="#id_total_investment"' in page


def test_detail_page_links_into_the_edit_page(client, call, applicant):
    application = _applied(call, applicant, {"no_name"})
    client.force_login(applicant)
    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    edit = reverse("applications:edit", args=[application.pk])
    assert f'href="{edit}#id_name"' in page
    assert "提交前检查" in page


def test_limit_is_named_in_the_panel(client, call, applicant):
    application = _applied(call, applicant, {"limit_reached"})
    client.force_login(applicant)
    page = client.get(reverse("applications:edit", args=[application.pk])).content.decode()
    assert "达到每个申报单位不超过 2 个的上限" in page
