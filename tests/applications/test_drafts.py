"""Drafts: saved as the user types, never silently overwritten by a colleague."""

import pytest
from django.urls import reverse

from keyprojects.applications import domain
from keyprojects.audit.models import Event

from ..factories import PASSWORD, make_application


@pytest.fixture
def draft(call, applicant):
    return make_application(call, applicant, complete=False, attach=False)


def form_data(application, version, token, **values):
    data = {
        "version": version,
        "editor_token": token,
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
        "name": "",
    }
    data.update(values)
    return data


def login(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def test_autosave_stores_what_was_typed(client, applicant, draft):
    url = reverse("applications:autosave", args=[draft.pk])
    response = login(client, applicant).post(
        url,
        form_data(draft, draft.version, "tab-a", name="智慧水务平台", total_investment="456.78"),
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "已自动保存" in page
    # The pre-check beside the form is refreshed with the same answer.
    assert 'id="precheck" hx-swap-oob="true"' in page and "请填写“建设内容”" in page
    draft.refresh_from_db()
    assert draft.name == "智慧水务平台"
    assert str(draft.total_investment) == "456.78"
    assert draft.version == 2
    # The page's next save names the version just stored.
    assert 'name="version" id="id_version" value="2"' in page


def test_autosave_keeps_valid_fields_and_reports_the_invalid_one(client, applicant, draft):
    url = reverse("applications:autosave", args=[draft.pk])
    response = login(client, applicant).post(
        url, form_data(draft, draft.version, "tab-a", name="智慧水务平台", total_investment="abc")
    )
    assert "未保存" in response.content.decode()
    draft.refresh_from_db()
    assert draft.name == "智慧水务平台"
    assert draft.total_investment is None


def test_second_editor_is_refused_and_nothing_is_lost(client, applicant, colleague, draft):
    base = draft.version
    domain.save_draft(
        draft,
        {"name": "甲的名称"},
        None,
        by=applicant,
        expected_version=base,
        editor_token="tab-a",
    )
    # The colleague's tab loaded the same version and now saves: refused, with who and when.
    response = login(client, colleague).post(
        reverse("applications:edit", args=[draft.pk]),
        form_data(draft, base, "tab-b", name="乙的名称", save="1"),
    )
    assert response.status_code == 409
    page = response.content.decode()
    assert applicant.full_name in page and "没有保存" in page
    assert "乙的名称" in page  # what the colleague typed is still in the form
    draft.refresh_from_db()
    assert draft.name == "甲的名称"
    assert Event.objects.filter(target_id=str(draft.pk), action="save_refused").exists()


def test_refused_editor_may_overwrite_knowingly(client, applicant, colleague, draft):
    base = draft.version
    new_version = domain.save_draft(
        draft,
        {"name": "甲的名称"},
        None,
        by=applicant,
        expected_version=base,
        editor_token="tab-a",
    )
    response = login(client, colleague).post(
        reverse("applications:edit", args=[draft.pk]),
        form_data(draft, base, "tab-b", name="乙的名称", save="1", overwrite_version=new_version),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.name == "乙的名称"


def test_own_autosave_in_flight_does_not_block_the_same_tab(applicant, draft):
    base = draft.version
    domain.save_draft(
        draft, {"name": "一"}, None, by=applicant, expected_version=base, editor_token="tab-a"
    )
    # The tab's next request still names the old version (its autosave answer not yet in).
    second = domain.save_draft(
        draft, {"name": "二"}, None, by=applicant, expected_version=base, editor_token="tab-a"
    )
    draft.refresh_from_db()
    assert draft.name == "二"
    assert second == draft.version == base + 2  # the version it stored, not the one it named


def test_a_tab_s_earlier_save_arriving_late_does_not_undo_its_later_one(applicant, draft):
    # A save sent as the page is left (sendBeacon) can overtake one still on its way.
    base = draft.version
    later = {"by": applicant, "expected_version": base, "editor_token": "tab-a"}
    domain.save_draft(draft, {"name": "后来输入的"}, None, **later, editor_seq=9)
    with pytest.raises(domain.DraftConflict):
        domain.save_draft(draft, {"name": "先前输入的"}, None, **later, editor_seq=5)
    draft.refresh_from_db()
    assert (draft.name, draft.editor_seq) == ("后来输入的", 9)
    refused = Event.objects.get(target_id=str(draft.pk), action="save_refused")
    assert refused.data["values"]["name"] == "先前输入的"  # kept in the record all the same
    # The same count again (a save with no edit since) still goes through.
    domain.save_draft(draft, {"name": "后来输入的"}, None, **later, editor_seq=9)


def test_autosave_stores_the_tab_s_count_of_edits(client, applicant, draft):
    url = reverse("applications:autosave", args=[draft.pk])
    data = form_data(draft, draft.version, "tab-a", name="智慧水务平台", editor_seq="7")
    assert login(client, applicant).post(url, data).status_code == 200
    draft.refresh_from_db()
    assert draft.editor_seq == 7
    # Not a count: taken as none, never an error.
    for number, sent in enumerate(["x", "²", "-3", "99999999999"], start=2):
        name = f"智慧水务平台{number}"
        data = form_data(draft, draft.version, "tab-a", name=name, editor_seq=sent)
        assert client.post(url, data).status_code == 200
        draft.refresh_from_db()
        assert (draft.name, draft.editor_seq) == (name, 0)


def test_conflict_in_autosave_answers_409(client, applicant, colleague, draft):
    domain.save_draft(
        draft,
        {"name": "甲"},
        None,
        by=applicant,
        expected_version=draft.version,
        editor_token="tab-a",
    )
    response = login(client, colleague).post(
        reverse("applications:autosave", args=[draft.pk]),
        form_data(draft, 1, "tab-b", name="乙"),
    )
    assert response.status_code == 409
    assert "用我的内容覆盖" in response.content.decode()


def test_a_version_that_is_not_a_number_is_a_conflict_not_an_error(client, applicant, draft):
    url = reverse("applications:autosave", args=[draft.pk])
    login(client, applicant)
    for sent in ["abc", "1.5", "-1"]:
        response = client.post(url, form_data(draft, sent, "tab-x", name="乙"))
        assert response.status_code == 409, sent
    draft.refresh_from_db()
    assert draft.name != "乙"
    # the whole form's save and overwrite say the same
    response = client.post(
        reverse("applications:edit", args=[draft.pk]),
        form_data(draft, draft.version, "tab-x", name="乙", overwrite_version="v2"),
    )
    assert response.status_code == 409


def test_partners_are_saved_with_the_draft(client, applicant, draft):
    data = form_data(draft, draft.version, "tab-a", name="合作项目", is_cooperative="on")
    data.update(
        {
            "partners-TOTAL_FORMS": "2",
            "partners-INITIAL_FORMS": "0",
            "partners-0-role": "user",
            "partners-0-name": "某区大数据局",
            "partners-0-credit_code": "1132010200000000X",
            "partners-0-work_division": "提出需求",
            "partners-1-role": "",
            "partners-1-name": "",
            "partners-1-credit_code": "",
        }
    )
    login(client, applicant).post(reverse("applications:autosave", args=[draft.pk]), data)
    [partner] = draft.partners.all()
    # An unfinished credit code is kept as typed; the submit check will point it out.
    assert (partner.name, partner.credit_code) == ("某区大数据局", "1132010200000000X")


def test_save_then_submit_from_the_form(client, applicant, call):
    application = make_application(call, applicant)
    response = login(client, applicant).post(
        reverse("applications:edit", args=[application.pk]),
        {
            **form_data(application, application.version, "tab-a"),
            **_post_values(application),
            "submit": "1",
        },
        follow=True,
    )
    application.refresh_from_db()
    assert application.status == "submitted", response.content.decode()[:2000]
    assert application.applicant_snapshot["credit_code"] == application.organisation.credit_code
    actions = list(
        Event.objects.filter(target_id=str(application.pk)).values_list(
            "action", "from_state", "to_state"
        )
    )
    assert ("submit", "draft", "submitted") in actions


def _post_values(application):
    """The form as the browser would post it for a complete application."""
    from keyprojects.applications.forms import ApplicationForm

    form = ApplicationForm(instance=application, call=application.call)
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name)
        if value is None:
            continue
        if isinstance(value, list):
            data[name] = value
        elif isinstance(value, bool):
            if name == "in_it_plan":
                data[name] = "true" if value else "false"
            elif value:
                data[name] = "on"
        elif hasattr(value, "pk"):
            data[name] = value.pk
        else:
            data[name] = field.widget.format_value(value) if name.endswith("month") else value
    return data


def test_refused_submit_shows_each_reason_at_its_field(client, applicant, call):
    application = make_application(call, applicant)
    values = {
        **_post_values(application),
        "total_investment": "299.99",
        "civil_works_investment": "0.00",
        "investment_completed": "0.00",
    }
    response = login(client, applicant).post(
        reverse("applications:edit", args=[application.pk]),
        {**form_data(application, application.version, "tab-a"), **values, "submit": "1"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "低于本批次要求的 300.00 万元" in " ".join(form.errors["total_investment"])
    application.refresh_from_db()
    assert application.status == "draft"
    assert str(application.total_investment) == "299.99"  # the typed values were saved


def test_history_says_what_each_save_changed(client, applicant, colleague, draft):
    version = domain.save_draft(
        draft, {"name": "甲"}, None, by=applicant, expected_version=draft.version, editor_token="a"
    )
    version = domain.save_draft(
        draft,
        {"name": "甲", "summary": "一句话"},
        None,
        by=applicant,
        expected_version=version,
        editor_token="a",
    )
    domain.save_draft(
        draft, {"name": "甲"}, None, by=colleague, expected_version=version, editor_token="b"
    )  # nothing changed: no event
    saves = Event.objects.filter(target_id=str(draft.pk), action="save")
    assert [e.data["fields"] for e in saves] == [["name"], ["summary"]]
    page = login(client, applicant).get(reverse("applications:detail", args=[draft.pk]))
    assert "保存草稿：项目名称、项目简介（一句话）" in page.content.decode()
