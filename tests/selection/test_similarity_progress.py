"""The office who starts a similarity computation sees it running, then its result, on the
duplicates page without reloading (the shared progress partial, polled with htmx)."""

import datetime as dt

from django.urls import reverse

from keyprojects.core.clock import now
from keyprojects.selection.models import SimilarityRun


def test_a_pending_run_is_polled_and_stops_once_done(client, call, office):
    run = SimilarityRun.objects.create(call=call, requested_by=office, requested_at=now())
    client.force_login(office)
    poll = reverse("selection:similarity_progress", args=[call.slug])
    page = client.get(reverse("selection:duplicates", args=[call.slug])).content.decode()
    assert f'hx-get="{poll}"' in page and 'role="progressbar"' in page

    running = client.get(poll).content.decode()
    assert 'hx-trigger="every 2s"' in running and "排队中" in running

    SimilarityRun.objects.filter(pk=run.pk).update(
        state=SimilarityRun.State.DONE, documents=12, pairs=3, seconds=1.25
    )
    done = client.get(poll).content.decode()
    assert "hx-get" not in done
    assert "比对 12 个文本（含往年重点工程），检出 3 对，用时 1.2 秒" in done
    assert reverse("selection:duplicates", args=[call.slug]) in done  # to see the pairs


def test_starting_a_run_shows_its_outcome(client, call, office):
    client.force_login(office)
    response = client.post(reverse("selection:run_similarity", args=[call.slug]), follow=True)
    page = response.content.decode()
    assert "已开始计算相似度" in page
    # The tests run tasks at once: the page already shows the finished run.
    assert 'data-job-state="done"' in page


def test_a_run_stuck_for_long_says_the_worker_may_be_down(client, call, office):
    SimilarityRun.objects.create(
        call=call, requested_by=office, requested_at=now() - dt.timedelta(hours=1)
    )
    client.force_login(office)
    fragment = client.get(reverse("selection:similarity_progress", args=[call.slug]))
    assert "后台任务可能未运行" in fragment.content.decode()


def test_before_any_run_the_fragment_says_so(client, call, office):
    client.force_login(office)
    fragment = client.get(reverse("selection:similarity_progress", args=[call.slug]))
    assert fragment.content.decode() == "尚未计算。"


def test_only_the_office_sees_it(client, call, applicant):
    client.force_login(applicant)
    response = client.get(reverse("selection:similarity_progress", args=[call.slug]))
    assert response.status_code == 404
