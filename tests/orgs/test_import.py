"""The office imports applicant organisations from XLSX (orgs/imports.py, through the shared
import flow): every kind of bad row is named with its column and fix; new organisations are
created with their contacts encrypted and invited to create their first account; one that
nobody has an account for is updated; one maintained by its own accounts is not overwritten."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from keyprojects.audit.models import Event
from keyprojects.imports import domain
from keyprojects.orgs.imports import ORGANISATIONS
from keyprojects.orgs.models import Authority, Organisation

from ..core.test_field_encryption import raw
from ..factories import credit_code, make_office, make_organisation, make_user
from ..tracking.conftest import make_project

pytestmark = pytest.mark.django_db
COLUMNS = [c.name for c in ORGANISATIONS.columns]
# The columns by short English names, for the tests' changes to a good row.
KEYS = ["name", "code", "kind", "seat", "department", "address", "legal", "contact"]
KEYS += ["phone", "email"]


@pytest.fixture
def office(regions):
    return make_office(username="org_importer")


def values(**changes) -> dict:
    """A good row ({column: text}) with the changes given by KEYS."""
    row = {
        "单位名称": "南京市玄武区数据局",
        "统一社会信用代码": credit_code("11320102MB"),
        "单位类型": "县级以上行政部门",
        "所在地区": "南京市玄武区",
        "主管省级部门": "",
        "通讯地址": "南京市玄武区北京东路41号",
        "法定代表人": "张三",
        "联系人": "李四",
        "联系电话": "025-83331234",
        "电子邮箱": "Lisi@Example.com",
    }
    names = dict(zip(KEYS, COLUMNS, strict=True))
    return {**row, **{names[key]: value for key, value in changes.items()}}


def stage(office, *rows):
    return domain.stage_rows(
        ORGANISATIONS,
        [{"number": n, "values": v} for n, v in enumerate(rows, start=2)],
        by=office,
        file_name="单位.xlsx",
    )


def messages_of(batch) -> dict:
    return {r["number"]: [(e["column"], e["message"]) for e in r["errors"]] for r in batch.rows}


def test_a_new_organisation_is_created_with_encrypted_contacts_and_invited(client, office):
    batch = stage(office, values())
    [organisation] = domain.confirm(batch, by=office).objects

    organisation.refresh_from_db()
    assert (organisation.name, organisation.kind, organisation.seat_id) == (
        "南京市玄武区数据局",
        "government",
        "320102",
    )
    assert organisation.contact_email == "lisi@example.com"
    assert raw(Organisation, "contact_phone", organisation.pk).startswith("SM4:")
    assert raw(Organisation, "contact_email", organisation.pk).startswith("SM4:")
    [message] = mail.outbox
    assert message.to == ["lisi@example.com"] and "南京市玄武区数据局" in message.subject
    # The contact creates the organisation's first account from the invitation.
    token = re.search(r"/accounts/invitations/(\S+)/", message.body).group(1)
    response = client.post(
        reverse("orgs:accept_invitation", args=[token]),
        {
            "username": "xuanwu_data",
            "full_name": "李四",
            "email": "lisi@example.com",
            "phone": "13700000000",
            "password1": "Another-pass-3301",
            "password2": "Another-pass-3301",
        },
    )
    assert response.status_code == 302
    assert organisation.users.get().username == "xuanwu_data"
    event = Event.objects.get(target_id=str(organisation.pk), action="import_create")
    assert event.actor == office and event.data["invited"] == "lisi@example.com"


def test_seats_kinds_and_departments_as_people_write_them(office):
    rows = [
        values(seat="320322", kind="企业"),  # a region code
        values(seat="沛县", kind="enterprise"),  # a unique name, a type's code
        values(seat="江苏省苏州市昆山市", kind="事业单位"),
        values(kind="省属企业", department="省交通运输厅", seat="南京市鼓楼区"),
    ]
    batch = stage(office, *rows)
    assert not batch.bad_rows

    domain.confirm(batch, by=office)

    found = {o.seat_id: o for o in Organisation.objects.all()}
    assert set(found) == {"320322", "320583", "320106"}
    assert found["320583"].kind == "institution"
    soe = found["320106"]
    assert (soe.kind, soe.supervising_department.name) == ("provincial_soe", "省交通运输厅")


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"name": ""}, "单位名称", "“单位名称”不能为空"),
        ({"name": "长" * 129}, "单位名称", "超过 128 个字"),
        ({"code": "9132010"}, "统一社会信用代码", "统一社会信用代码应为18位，当前为7位。"),
        ({"code": "91320102MA1XYW0010"}, "统一社会信用代码", "校验位不正确"),
        ({"code": "91320102MA1XYWOO1U"}, "统一社会信用代码", "格式不正确"),
        ({"kind": "外资企业"}, "单位类型", "单位类型“外资企业”不正确"),
        ({"seat": "上海市浦东新区"}, "所在地区", "“上海市浦东新区”不是江苏省现有的县（市、区）"),
        ({"seat": "鼓楼区"}, "所在地区", "江苏省有不止一个“鼓楼区”"),
        ({"kind": "省级单位"}, "主管省级部门", "省级单位、省属企业须填写主管省级部门"),
        ({"kind": "省属企业", "department": "省火星厅"}, "主管省级部门", "“省火星厅”不存在"),
        ({"phone": "电话"}, "联系电话", "联系电话格式不正确"),
        ({"email": "lisi@"}, "电子邮箱", "电子邮箱格式不正确"),
        ({"address": ""}, "通讯地址", "“通讯地址”不能为空"),
    ],
)
def test_every_kind_of_bad_row_names_its_column(office, changes, column, message):
    batch = stage(office, values(**changes))

    [(found_column, found_message)] = messages_of(batch)[2]
    assert found_column == column and message in found_message
    assert batch.bad_rows[0]["errors"][0]["fix"]  # and says how to fix it


def test_a_credit_code_twice_in_the_sheet_is_refused_the_second_time(office):
    code = credit_code()
    batch = stage(office, values(code=code), values(code=code.lower(), name="另一个名称"))
    assert messages_of(batch) == {
        2: [],
        3: [("统一社会信用代码", "与本表第 2 行的统一社会信用代码相同")],
    }


def test_an_organisation_without_accounts_is_updated_and_invited_at_its_new_address(office):
    code = credit_code()
    domain.confirm(stage(office, values(code=code)), by=office)
    mail.outbox.clear()

    batch = stage(office, values(code=code, address="新地址1号", email="new@example.com"))
    domain.confirm(batch, by=office)

    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count) == (0, 1)
    organisation = Organisation.objects.get(credit_code=code)
    assert (organisation.address, organisation.contact_email) == ("新地址1号", "new@example.com")
    assert [m.to for m in mail.outbox] == [["new@example.com"]]
    event = Event.objects.get(target_id=str(organisation.pk), action="import_update")
    assert event.data["fields"] == ["address", "contact_email"]


def test_an_organisation_with_accounts_keeps_its_own_data(office):
    organisation = make_organisation(seat="320102", name="已注册单位")
    make_user(organisation)
    same = values(
        name="已注册单位",
        code=organisation.credit_code,
        kind="企业",
        seat="320102",
        address=organisation.address,
        legal=organisation.legal_representative,
        contact=organisation.contact_name,
        phone=organisation.contact_phone,
        email=organisation.contact_email,
    )
    changed = {**same, "通讯地址": "别处"}

    assert messages_of(stage(office, changed))[2] == [
        (
            "统一社会信用代码",
            "该单位已在平台注册（1 个账号），单位信息由其账号在“本单位”页维护，导入不能修改",
        )
    ]
    batch = stage(office, same)
    domain.confirm(batch, by=office)
    batch.refresh_from_db()
    assert (batch.created_count, batch.updated_count, batch.unchanged_count) == (0, 0, 1)
    assert batch.rows[0]["outcome"] == "unchanged" and not mail.outbox


def test_earlier_key_projects_of_an_imported_organisation_become_its_own(office):
    code = credit_code()
    project = make_project(credit_code=code)
    domain.confirm(stage(office, values(code=code)), by=office)
    project.refresh_from_db()
    assert project.organisation == Organisation.objects.get(credit_code=code)


def test_the_office_finds_the_import_in_its_menu(client, office):
    office.is_staff = True
    office.save()
    client.force_login(office)
    page = client.get(reverse("orgs:import")).content.decode()
    assert f'href="{reverse("orgs:import")}"' in page and "导入申报单位" in page
    assert Authority.objects.exists()  # the departments the column names are loaded
