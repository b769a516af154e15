"""The applicant learns the province's outcome from the final list, not from each step."""

from django.urls import reverse

from keyprojects.applications import domain, workflow
from keyprojects.applications.workflow import Status
from keyprojects.orgs.models import Authority
from keyprojects.review import domain as review

from ..factories import make_user


def test_the_applicant_sees_recommended_while_the_province_decides(client, call, applicant, office):
    from ..factories import make_application

    application = domain.submit(make_application(call, applicant), by=applicant)
    reviewer = make_user(None, authority=Authority.objects.get(pk=application.authority_id))
    review.decide(application, "recommend", by=reviewer, reason="同意推荐")
    workflow.perform(application, "fail_check", by=office, reason="投资额不足（内部意见）")
    client.force_login(applicant)

    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    listing = client.get(reverse("applications:home")).content.decode()

    application.refresh_from_db()
    assert application.status == Status.CHECK_FAILED
    for html in (page, listing):
        assert "status-recommended" in html
        assert "形式审查未通过" not in html
    assert "投资额不足（内部意见）" not in page


def test_a_return_to_the_authority_names_no_internal_step(client, call, applicant, office):
    from ..factories import make_application

    application = domain.submit(make_application(call, applicant), by=applicant)
    reviewer = make_user(None, authority=Authority.objects.get(pk=application.authority_id))
    review.decide(application, "recommend", by=reviewer, reason="同意推荐")
    workflow.perform(application, "pass_check", by=office)
    workflow.perform(application, "return_to_authority", by=office, reason="投资额与批复不一致")
    client.force_login(applicant)

    page = client.get(reverse("applications:detail", args=[application.pk])).content.decode()

    assert "退回推荐单位" in page
    assert "形式审查通过" not in page
