"""The applicant's consent pages: its own cases only; a decision names what it read."""

from keyprojects.audit.domain import history
from keyprojects.cases import domain
from keyprojects.orgs.models import Authority

from .. import factories
from .conftest import publish


def test_the_organisation_lists_and_reads_the_cases_about_its_projects(
    client, case, owner, colleague
):
    client.force_login(owner)
    listed = client.get("/cases/consent/")
    assert [c.title for c in listed.context["cases"]] == [case.title]
    page = client.get(f"/cases/consent/{case.pk}/")
    assert page.status_code == 200
    assert case.problem in page.content.decode()


def test_nobody_else_sees_a_consent_page(client, case, stranger, office, regions):
    url = f"/cases/consent/{case.pk}/"
    assert "/accounts/login/" in client.get(url)["Location"]
    assert "/accounts/login/" in client.get("/cases/consent/")["Location"]
    reviewer = factories.make_user(
        None, authority=Authority.objects.get(name="南京市信息化主管部门")
    )
    for user in [stranger, office, reviewer]:
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert (
            client.post(url, {"decision": "given", "digest": case.content_digest}).status_code
            == 404
        )
    client.force_login(stranger)
    assert list(client.get("/cases/consent/").context["cases"]) == []
    case.refresh_from_db()
    assert case.consent == "pending"


def test_consent_is_recorded_with_who_and_when(client, case, owner):
    client.force_login(owner)
    response = client.post(
        f"/cases/consent/{case.pk}/", {"decision": "given", "digest": case.content_digest}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.consent_valid and case.consent_by == owner and case.consent_at is not None
    event = history(case).get(action="consent_given")
    assert event.actor == owner and event.data["digest"] == case.content_digest
    assert "贵单位已同意发布以下内容" in client.get(f"/cases/consent/{case.pk}/").content.decode()


def test_refusing_needs_a_note(client, case, owner):
    client.force_login(owner)
    response = client.post(
        f"/cases/consent/{case.pk}/", {"decision": "refused", "digest": case.content_digest}
    )
    assert response.status_code == 400
    assert "请说明不同意发布的原因" in response.content.decode()
    client.post(
        f"/cases/consent/{case.pk}/",
        {"decision": "refused", "note": "服务人数需更新", "digest": case.content_digest},
    )
    case.refresh_from_db()
    assert case.consent == "refused" and case.consent_note == "服务人数需更新"


def test_a_decision_on_content_changed_meanwhile_gets_409_and_the_new_content(
    client, case, owner, office
):
    client.force_login(owner)
    seen = client.get(f"/cases/consent/{case.pk}/").context["form"].initial["digest"]
    values = {n: getattr(case, n) for n in domain.TEXT_FIELDS}
    domain.save_text(
        case, {**values, "solution": "省信息化办改写的方案"}, by=office, expected_version=1
    )
    response = client.post(
        f"/cases/consent/{case.pk}/", {"decision": "refused", "note": "我写的意见", "digest": seen}
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert "案例内容已被省信息化办修改" in page
    assert "省信息化办改写的方案" in page and "我写的意见" in page
    case.refresh_from_db()
    assert case.consent == "pending"
    # The form now carries the new content's digest: deciding again works.
    digest = response.context["form"]["digest"].value()
    client.post(f"/cases/consent/{case.pk}/", {"decision": "given", "digest": digest})
    case.refresh_from_db()
    assert case.consent_valid


def test_refusing_a_published_case_takes_it_down(client, case, owner, office, office2):
    case = publish(case, office=office, checker=office2, owner=owner)
    client.force_login(owner)
    client.post(
        f"/cases/consent/{case.pk}/",
        {"decision": "refused", "note": "项目已升级，请暂缓发布", "digest": case.content_digest},
    )
    case.refresh_from_db()
    assert case.state == "unpublished"
    client.logout()
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_the_consent_list_runs_a_fixed_number_of_queries(client, case, owner, office):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(owner)
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/cases/consent/").context["cases"]) == 1
    # Two more cases about the same organisation's projects (another call's selections).
    call = factories.make_call(slug="later", year=case.year + 1)
    make = factories.selected_maker(call, office)
    for place, name in enumerate(["二期项目", "三期项目"], start=1):
        application = make(name)
        # Moved to one organisation: each keeps its own place under the per-applicant limit.
        application.organisation, application.limit_slot = case.organisation, place
        application.save(update_fields=["organisation", "limit_slot"])
        domain.create_case(application, by=office)
    with CaptureQueriesContext(connection) as three:
        assert len(client.get("/cases/consent/").context["cases"]) == 3
    assert len(one) == len(three)
