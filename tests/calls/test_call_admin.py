"""The office edits calls in the admin; a bad configuration is refused with a message."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from keyprojects.calls.reference import call_spec, load_call
from keyprojects.orgs.models import OFFICE_GROUP

from ..factories import PASSWORD, make_user


@pytest.fixture
def office_client(client, regions):
    user = make_user(None, is_staff=True)
    group = Group.objects.create(name=OFFICE_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label="calls"))
    user.groups.add(group)
    client.login(username=user.username, password=PASSWORD)
    return client


def test_office_opens_the_call_in_the_admin(office_client):
    call = load_call(call_spec())
    response = office_client.get(reverse("admin:calls_call_change", args=[call.pk]))
    assert response.status_code == 200
    assert "300.00" in response.content.decode()


def test_form_extras_of_the_wrong_shape_are_refused(regions):
    from django.core.exceptions import ValidationError

    call = load_call(call_spec())
    call.form_extras = [{"key": "x", "label": "X", "type": "colour"}]
    with pytest.raises(ValidationError, match="type"):
        call.full_clean()
    call.form_extras = [{"key": "pilot", "label": "试点地区", "type": "text", "required": True}]
    call.full_clean()


def test_window_must_close_after_it_opens(regions):
    from django.core.exceptions import ValidationError

    call = load_call(call_spec())
    call.window_closes_at = call.window_opens_at
    with pytest.raises(ValidationError, match="截止时间必须晚于开始时间"):
        call.full_clean()
