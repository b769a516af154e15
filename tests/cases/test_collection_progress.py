"""The office sees the yearly collection being made after publishing, and when it is done;
a refused action keeps the reason the office typed."""

import re

from django.urls import reverse

from keyprojects.cases.models import Case, Collection

from .conftest import publish


def test_after_publishing_the_case_page_polls_the_collection_until_ready(
    client, case, office, office2, owner, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # queued only
    published = publish(case, office=office, checker=office2, owner=owner)
    client.force_login(office2)
    poll = reverse("cases:collection_progress", args=[published.year])
    page = client.get(reverse("cases:office_case", args=[published.pk])).content.decode()
    assert "本年度案例汇编" in page
    assert f'hx-get="{poll}"' in page and 'data-job-state="pending"' in page

    fragment = client.get(poll).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "排队中" in fragment

    Collection.objects.filter(year=published.year).update(state=Collection.State.READY)
    done = client.get(poll).content.decode()
    assert "hx-get" not in done  # polling stops
    assert "已完成" in done and 'data-job-state="done"' in done


def test_a_failed_collection_says_what_to_do(client, case, office, office2, owner, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    published = publish(case, office=office, checker=office2, owner=owner)
    Collection.objects.filter(year=published.year).update(state=Collection.State.FAILED)
    client.force_login(office)
    fragment = client.get(reverse("cases:collection_progress", args=[published.year]))
    assert "汇编生成失败" in fragment.content.decode() and "hx-get" not in fragment.content.decode()


def test_the_progress_is_for_the_office_only(client, case, office, office2, owner):
    published = publish(case, office=office, checker=office2, owner=owner)
    client.force_login(owner)
    response = client.get(reverse("cases:collection_progress", args=[published.year]))
    assert response.status_code == 404


def test_a_refused_action_keeps_the_typed_reason(client, case, office):
    client.force_login(office)
    reason = "与另一案例内容重复，作废。"
    stale = case.version - 1  # someone changed the case since this page was loaded
    response = client.post(
        reverse("cases:act", args=[case.pk]),
        {"action": "discard", "reason": reason, "version": stale},
    )
    assert response.status_code == 400
    assert re.search(r'id="reason-discard"[^>]*>' + re.escape(reason), response.content.decode())
    assert Case.objects.get(pk=case.pk).state == case.state
