"""/me/applications/: an applicant's own applications, as its pages show them.

The province's internal steps (formal check, selection) read 已推荐 until the list is
final; the outcome then comes as `outcome`, with the tier, as on the application page.
"""

import pytest

from keyprojects.applications.workflow import PROVINCIAL_STAGES

from ..factories import make_application
from .conftest import finalise_list

pytestmark = pytest.mark.django_db

HIDDEN = {str(stage) for stage in PROVINCIAL_STAGES}


def test_before_the_list_is_final_the_applicant_sees_recommended_and_no_outcome(client, selected):
    owner = selected.nanjing.organisation.users.get()
    client.force_login(owner)
    [item] = client.get("/api/v1/me/applications/").json()["items"]
    assert selected.nanjing.status == "selected"  # what the province knows
    assert item["status"] == {"code": "recommended", "label": "已推荐"}
    assert item["outcome"] is None
    detail = client.get(f"/api/v1/me/applications/{selected.nanjing.pk}")
    history = detail.json()["history"]
    actions = [row["action"] for row in history]
    assert "submit" in actions and "recommend" in actions
    assert not {"pass_check", "select"} & set(actions)
    shown = {row[key]["code"] for row in history for key in ("from_state", "to_state") if row[key]}
    assert not shown & HIDDEN
    text = detail.content.decode()
    assert '"check_passed"' not in text and '"selected"' not in text


def test_once_the_list_is_final_the_outcome_is_there(client, call, office, selected):
    notice = finalise_list(call, office)
    client.force_login(selected.suzhou.organisation.users.get())
    [item] = client.get("/api/v1/me/applications/").json()["items"]
    # the badge says the outcome too, as on the page, once the list is final
    assert item["status"] == {"code": "selected", "label": "入选"}
    assert item["outcome"]["result"] == {"code": "selected", "label": "入选"}
    assert item["outcome"]["tier"] == "重点工程"
    assert item["outcome"]["notice_id"] == str(notice.pk)
    assert item["outcome"]["finalised_at"].endswith("+08:00")


def test_drafts_are_the_applicants_own_business(client, call, applicant, stranger):
    draft = make_application(call, applicant, name="草稿项目", total_investment=None)
    client.force_login(applicant)
    [item] = client.get("/api/v1/me/applications/").json()["items"]
    assert item["status"] == {"code": "draft", "label": "草稿"}
    assert item["total_investment"] is None
    assert client.get("/api/v1/me/applications/", {"call": "other"}).json()["count"] == 0
    client.force_login(stranger)
    assert client.get("/api/v1/me/applications/").json()["count"] == 0
    assert client.get(f"/api/v1/me/applications/{draft.pk}").status_code == 404
