"""Writing a case from a selected project, editing it, consent and the workflow."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from keyprojects.applications.workflow import TransitionRefused
from keyprojects.audit.domain import history
from keyprojects.cases import domain, workflow
from keyprojects.cases.models import Case
from keyprojects.notifications.models import Notification
from keyprojects.orgs.models import Organisation

from .. import factories
from .conftest import publish


def text_of(case, **changes):
    return {**{name: getattr(case, name) for name in domain.TEXT_FIELDS}, **changes}


def test_a_case_is_prefilled_from_its_selected_application(case, selected):
    assert case.state == "draft" and case.version == 1
    assert case.title == selected.name
    assert case.summary == selected.summary
    assert case.problem == selected.problems_solved
    assert selected.construction_content in case.solution
    assert selected.innovation in case.solution
    assert case.technologies == "人工智能、大数据、物联网"
    assert "全区65万居民" in case.results and selected.social_benefit in case.results
    assert case.year == selected.call.year
    assert case.category.code == "digital_governance"
    assert case.city.name == "南京市"  # seat 玄武区 → its city
    assert case.consent == "pending" and not case.consent_valid
    assert "一网统管" in case.search_text and case.search_title == case.title
    assert [e.action for e in history(case)] == ["create"]


def test_a_county_seat_belongs_to_its_city_and_a_provincial_unit_to_no_city(select, office):
    county = domain.create_case(select("沛县智慧农业平台", seat="320322"), by=office)
    assert county.city.name == "徐州市"
    provincial = select("省交通数字化平台", seat="320106")
    Organisation.objects.filter(pk=provincial.organisation_id).update(
        kind=Organisation.Kind.PROVINCIAL_SOE
    )
    provincial.refresh_from_db()
    case = domain.create_case(provincial, by=office)
    assert case.city is None and case.city_label == "省级"


def test_only_a_selected_project_gets_a_case(call, office, applicant):
    draft = factories.make_application(call, applicant)
    with pytest.raises(TransitionRefused, match="只有入选项目"):
        domain.create_case(draft, by=office)


def test_one_live_case_per_project_in_code_and_in_the_database(case, selected, office):
    with pytest.raises(TransitionRefused, match="已有典型案例"):
        domain.create_case(selected, by=office)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            application=selected,
            year=case.year,
            organisation=case.organisation,
            title="x",
            summary="x",
            problem="x",
            solution="x",
            created_by=office,
            updated_by=office,
        )
    # A discarded case makes room for a new one.
    domain.act(case, "discard", by=office, expected_version=case.version, reason="重写")
    assert domain.create_case(selected, by=office).state == "draft"


def test_only_the_office_writes_cases(selected, owner, case):
    with pytest.raises(PermissionDenied):
        domain.create_case(selected, by=owner)
    with pytest.raises(PermissionDenied):
        domain.save_text(case, text_of(case), by=owner, expected_version=case.version)


def test_a_stale_save_is_refused(case, office, office2):
    domain.save_text(case, text_of(case, title="新标题"), by=office, expected_version=1)
    with pytest.raises(workflow.StaleVersion):
        domain.save_text(case, text_of(case, title="另一个标题"), by=office2, expected_version=1)
    case.refresh_from_db()
    assert case.title == "新标题" and case.version == 2


def test_figures_keep_decimal_values_and_count_in_the_search(case, office):
    figure = domain.add_figure(
        case, label="服务人次", value=Decimal("1200.00"), unit="万", by=office
    )
    case.refresh_from_db()
    assert figure.shown_value == "1200" and str(figure) == "服务人次 1200万"
    assert domain.add_figure(case, label="覆盖率", value=Decimal("12.5"), unit="%", by=office)
    assert "服务人次" in case.search_text
    assert case.version == 2


def test_consent_lapses_when_the_content_changes_but_not_on_an_unchanged_save(case, office, owner):
    domain.decide_consent(case, given=True, note="", seen_digest=case.content_digest, by=owner)
    case.refresh_from_db()
    assert case.consent_valid and case.consent_by == owner and case.consent_at
    case = domain.save_text(case, text_of(case), by=office, expected_version=case.version)
    assert case.consent_valid  # nothing changed
    case = domain.save_text(
        case,
        text_of(case, solution=case.solution + "新增内容"),
        by=office,
        expected_version=case.version,
    )
    assert case.consent == "pending" and not case.consent_valid
    lapsed = history(case).get(action="consent_lapsed")
    assert (lapsed.from_state, lapsed.to_state) == ("given", "pending")


def test_a_new_figure_also_lapses_the_consent(case, office, owner):
    domain.decide_consent(case, given=True, note="", seen_digest=case.content_digest, by=owner)
    domain.add_figure(case, label="服务人次", value=Decimal("1"), unit="万", by=office)
    case.refresh_from_db()
    assert not case.consent_valid


def test_consent_to_content_the_applicant_has_not_seen_is_refused(case, office, owner):
    seen = case.content_digest
    domain.save_text(case, text_of(case, title="改过的标题"), by=office, expected_version=1)
    with pytest.raises(domain.ContentChanged):
        domain.decide_consent(case, given=True, note="", seen_digest=seen, by=owner)


def test_refusing_needs_a_note_and_only_the_owner_decides(case, owner, stranger):
    with pytest.raises(TransitionRefused, match="请说明"):
        domain.decide_consent(
            case, given=False, note=" ", seen_digest=case.content_digest, by=owner
        )
    with pytest.raises(PermissionDenied):
        domain.decide_consent(
            case, given=True, note="", seen_digest=case.content_digest, by=stranger
        )


def test_publishing_needs_consent(case, office, office2):
    case = domain.act(case, "submit", by=office, expected_version=case.version)
    with pytest.raises(TransitionRefused, match="尚未同意"):
        domain.act(case, "publish", by=office2, expected_version=case.version)


def test_four_eyes_the_submitter_cannot_approve(case, office, office2, owner):
    domain.decide_consent(case, given=True, note="", seen_digest=case.content_digest, by=owner)
    case.refresh_from_db()
    case = domain.act(case, "submit", by=office, expected_version=case.version)
    with pytest.raises(PermissionDenied):
        domain.act(case, "publish", by=office, expected_version=case.version)
    assert [t.name for t in workflow.available(case, office)] == ["return"]
    assert "publish" in [t.name for t in workflow.available(case, office2)]
    case = domain.act(case, "publish", by=office2, expected_version=case.version)
    assert case.state == "published" and case.published_by == office2


def test_every_transition_is_an_audit_event_with_its_reason(case, office, office2, owner):
    case = domain.act(case, "submit", by=office, expected_version=case.version)
    case = domain.act(case, "return", by=office2, expected_version=case.version, reason="补充数据")
    assert case.state == "draft" and case.state_reason == "补充数据"
    case = publish(case, office=office, checker=office2, owner=owner)
    with pytest.raises(TransitionRefused, match="理由"):
        domain.act(case, "unpublish", by=office, expected_version=case.version)
    case = domain.act(
        case, "unpublish", by=office, expected_version=case.version, reason="数据有误"
    )
    case = domain.act(case, "publish", by=office2, expected_version=case.version)  # again
    case = domain.act(case, "unpublish", by=office, expected_version=case.version, reason="再撤")
    case = domain.act(case, "revise", by=office, expected_version=case.version)
    assert case.state == "draft"
    moves = [
        (e.action, e.from_state, e.to_state, e.reason)
        for e in history(case).order_by("at")
        if e.action in workflow.TRANSITIONS
    ]
    assert moves == [
        ("submit", "draft", "in_review", ""),
        ("return", "in_review", "draft", "补充数据"),
        ("submit", "draft", "in_review", ""),
        ("publish", "in_review", "published", ""),
        ("unpublish", "published", "unpublished", "数据有误"),
        ("publish", "unpublished", "published", ""),
        ("unpublish", "published", "unpublished", "再撤"),
        ("revise", "unpublished", "draft", ""),
    ]


def test_a_transition_with_a_stale_version_is_refused(case, office):
    with pytest.raises(workflow.StaleVersion):
        domain.act(case, "submit", by=office, expected_version=case.version - 1 or 99)


def test_only_a_draft_can_be_edited(case, office):
    case = domain.act(case, "submit", by=office, expected_version=case.version)
    with pytest.raises(TransitionRefused, match="不能修改"):
        domain.add_figure(case, label="x", value=Decimal("1"), unit="", by=office)


def test_submitting_needs_the_main_text(case, office):
    case = domain.save_text(case, text_of(case, problem="  "), by=office, expected_version=1)
    with pytest.raises(TransitionRefused, match="面临的问题"):
        domain.act(case, "submit", by=office, expected_version=case.version)


def test_withdrawing_consent_takes_a_published_case_down(case, office, office2, owner):
    case = publish(case, office=office, checker=office2, owner=owner)
    case = domain.decide_consent(
        case, given=False, note="数据需更新", seen_digest=case.content_digest, by=owner
    )
    assert case.state == "unpublished" and case.state_reason == "数据需更新"
    event = history(case).get(action="withdraw_consent")
    assert event.actor == owner and event.to_state == "unpublished"
    assert Notification.objects.filter(user=office, text__contains="不同意发布").exists()


def test_asking_for_consent_notifies_the_organisation_once_per_content(case, office, owner):
    assert domain.request_consent(case, by=office) == [owner]
    assert domain.request_consent(case, by=office) == []  # same content: no second message
    note = Notification.objects.get(user=owner, key__startswith="case-consent")
    assert note.url == f"/cases/consent/{case.pk}/"
    assert history(case).filter(action="consent_requested").count() == 2
