"""Autosave runs the full pre-check (every rule of submit) without costing more queries.

The budget is what an autosave costs for a draft of an organisation in a district: the
session and the user with its roles, the application with what the pre-check reads, the
category, the save under the row's lock with its audit event (no savepoint of its own),
and the pre-check's facts (routing, the per-applicant limit, the attachments). The saved
row is not read back and the unread-message count is not asked for a fragment that does
not show it. The count must also not grow with the number of partner rows or attachments.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from keyprojects.applications import domain
from keyprojects.applications.models import AttachmentKind

from ..factories import credit_code, make_application, pdf_upload

BUDGET = 16


def _posted(application, codes):
    data = {
        "version": application.version,
        "editor_token": "tab-a",
        "name": "智慧水务平台",
        "is_cooperative": "on",
        "partners-TOTAL_FORMS": str(len(codes)),
        "partners-INITIAL_FORMS": "0",
    }
    for i, code in enumerate(codes):
        data |= {
            f"partners-{i}-role": "user",
            f"partners-{i}-name": f"合作单位{i}",
            f"partners-{i}-credit_code": code,
        }
    return data


def autosave_queries(client, application, partners):
    """Queries of the second of two autosaves (the first warms the session)."""
    url = reverse("applications:autosave", args=[application.pk])
    codes = [credit_code("11320102MB") for _ in range(partners)]
    client.post(url, _posted(application, codes))
    application.refresh_from_db()
    data = _posted(application, codes) | {"name": "智慧水务平台（二期整体）"}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 200
    assert "已自动保存" in response.content.decode()
    return len(queries.captured_queries)


def test_autosave_stays_within_its_budget_whatever_the_rows(client, call, applicant):
    client.force_login(applicant)
    few = make_application(call, applicant)
    many = make_application(call, applicant)
    for kind in [AttachmentKind.TENDER_CONTRACT, AttachmentKind.ACCEPTANCE]:
        domain.add_attachment(many, kind, pdf_upload(), by=applicant)
    with_one = autosave_queries(client, few, partners=1)
    with_three = autosave_queries(client, many, partners=3)
    assert with_one == with_three
    assert with_one <= BUDGET
