"""The export pages (documents) run as many SQL queries with many exports as with few."""

import datetime as dt

from django.urls import reverse

from keyprojects.core.clock import now
from keyprojects.documents.models import ListExport

from ..exports import assert_flat_queries

FEW, MANY = 3, 30


def exports(user, n):
    return ListExport.objects.bulk_create(
        ListExport(
            listing="audit",
            title=f"审计日志{i}",
            requested_by=user,
            rows=10,
            direct=i % 2 == 0,
            state=ListExport.State.READY,
            expires_at=now() + dt.timedelta(days=7),
        )
        for i in range(n)
    )


def test_my_exports(client, office):
    exports(office, FEW)
    client.force_login(office)
    url = reverse("documents:exports")

    page = assert_flat_queries(lambda: client.get(url), lambda: exports(office, MANY - FEW))

    assert page.content.decode().count('href="/exports/') == MANY


def test_an_export_s_page_and_its_status(client, office):
    made = exports(office, FEW)
    client.force_login(office)

    for name in ["documents:export", "documents:export_status"]:
        url = reverse(name, args=[made[1].pk])
        response = assert_flat_queries(lambda u=url: client.get(u), lambda: exports(office, 5))
        assert response.status_code == 200
