import re

import pytest
from django.core import mail
from django.urls import reverse

from keyprojects.orgs.models import Authority, Invitation, Organisation, User

from ..factories import PASSWORD, credit_code, make_organisation, make_user


def registration(**overrides):
    data = {
        "org-name": "南京某某信息科技有限公司",
        "org-credit_code": credit_code(),
        "org-kind": "enterprise",
        "org-seat": "320102",
        "org-address": "南京市玄武区珠江路1号",
        "org-legal_representative": "周一",
        "org-contact_name": "吴二",
        "org-contact_phone": "025-12345678",
        "org-contact_email": "wu@example.com",
        "account-username": "wuer",
        "account-full_name": "吴二",
        "account-email": "wu@example.com",
        "account-phone": "13900000000",
        "account-password1": "Strong-pass-9271",
        "account-password2": "Strong-pass-9271",
    }
    data.update(overrides)
    return data


def test_register_creates_organisation_and_first_account(client, regions):
    response = client.post(reverse("orgs:register"), registration())
    assert response.status_code == 302
    user = User.objects.get(username="wuer")
    assert user.organisation.name == "南京某某信息科技有限公司"
    assert str(user.organisation.seat) == "南京市玄武区"
    assert client.get(reverse("applications:home")).status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("org-credit_code", "91350100M000100Y44", "校验位不正确"),
        ("org-credit_code", "9132058MA1MY4QB7", "应为18位"),
        ("account-password1", "12345678", "密码"),
        ("org-seat", "320602", "选择一个有效的选项"),  # 崇川区 (old code) abolished in 2020
    ],
)
def test_bad_input_is_refused_at_the_field(client, regions, field, value, message):
    data = registration(**{field: value})
    if field == "account-password1":
        data["account-password2"] = value
    response = client.post(reverse("orgs:register"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Organisation.objects.exists()
    assert not User.objects.filter(username="wuer").exists()


def test_credit_code_registered_once(client, regions):
    existing = make_organisation()
    response = client.post(
        reverse("orgs:register"), registration(**{"org-credit_code": existing.credit_code.lower()})
    )
    assert "该统一社会信用代码已注册" in response.content.decode()


def test_provincial_soe_needs_its_department(client, regions):
    department = str(Authority.objects.get(name="省交通运输厅").pk)
    response = client.post(reverse("orgs:register"), registration(**{"org-kind": "provincial_soe"}))
    assert "请选择主管省级部门" in response.content.decode()
    response = client.post(
        reverse("orgs:register"),
        registration(**{"org-kind": "provincial_soe", "org-supervising_department": department}),
    )
    assert response.status_code == 302
    org = Organisation.objects.get()
    assert org.supervising_department.name == "省交通运输厅"


def test_invited_colleague_joins_the_organisation(client, applicant):
    client.login(username=applicant.username, password=PASSWORD)
    client.post(reverse("orgs:organisation"), {"email": "colleague@example.com"})
    [message] = mail.outbox
    assert message.to == ["colleague@example.com"]
    link = re.search(r"http://\S+/accounts/invitations/(\S+)/", message.body)
    client.logout()
    accept = reverse("orgs:accept_invitation", args=[link.group(1)])
    response = client.post(
        accept,
        {
            "username": "colleague",
            "full_name": "钱三",
            "email": "colleague@example.com",
            "phone": "13700000000",
            "password1": "Another-pass-3301",
            "password2": "Another-pass-3301",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="colleague").organisation == applicant.organisation
    assert Invitation.objects.get().accepted_at is not None
    # The link works once.
    client.logout()
    assert client.get(accept).status_code == 404


def test_tampered_invitation_link_is_refused(client, regions):
    response = client.get(reverse("orgs:accept_invitation", args=["not-a-token"]))
    assert response.status_code == 404
    assert "邀请链接无效" in response.content.decode()


def test_password_reset_by_email(client, applicant):
    response = client.post(reverse("password_reset"), {"email": applicant.email})
    assert response.status_code == 302
    [message] = mail.outbox
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", message.body).group(1)
    form_url = client.get(link).url  # Django swaps the token for a session marker
    response = client.post(
        form_url, {"new_password1": "Brand-new-pass-7710", "new_password2": "Brand-new-pass-7710"}
    )
    assert response.status_code == 302
    assert client.login(username=applicant.username, password="Brand-new-pass-7710")


def test_user_without_organisation_cannot_invite(client, regions):
    user = make_user(None)
    client.login(username=user.username, password=PASSWORD)
    assert client.get(reverse("orgs:organisation")).status_code == 403
