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
    submitted = (application.updated_by, application.updated_at)
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
    # 最后保存 is still the applicant's submission: no step of theirs, no name of theirs
    assert (application.updated_by, application.updated_at) == submitted
    assert submitted[0] == applicant
    assert str(office) not in listing and str(reviewer) not in listing


def test_once_the_list_is_final_the_badge_says_the_outcome(client, call, office):
    from ..factories import finalise_list, selected_maker

    application = selected_maker(call, office)("玄武区城市大脑", "1200.10", "200.00")
    client.force_login(application.organisation.users.get())
    urls = [reverse("applications:detail", args=[application.pk]), reverse("applications:home")]
    assert all("status-recommended" in client.get(url).content.decode() for url in urls)
    finalise_list(call, office)
    for url in urls:
        html = client.get(url).content.decode()
        assert '<span class="badge status-selected">入选</span>' in html


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
