"""Personal contact data is stored encrypted with SM4-GCM; exact searches use HMAC-SM3 digests.

The raw columns are read with SQL, past the ORM, so a test fails if anything stored plaintext.
"""

import pytest
from django import forms
from django.core import serializers
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from keyprojects.applications.models import Application
from keyprojects.audit.models import Event
from keyprojects.core import crypto
from keyprojects.core.crypto import DecryptionError, digest
from keyprojects.experts.models import Expert
from keyprojects.experts.queries import pool
from keyprojects.notices import decisions, objections
from keyprojects.notices.models import Objection
from keyprojects.orgs.models import Organisation, User

from ..experts.conftest import make_expert
from ..factories import make_application, make_office, make_organisation, make_user, passed_maker
from ..notices.conftest import default_tiers, publish_notice

pytestmark = pytest.mark.django_db

KEY_A = "00112233445566778899aabbccddeeff"
KEY_B = "ffeeddccbbaa99887766554433221100"

# Every encrypted column: (model, field, the plaintext the `contacts` fixture stores there).
COLUMNS = [
    (Organisation, "contact_phone", "025-86660001"),
    (Organisation, "contact_email", "office@contact.example.com"),
    (User, "phone", "13800000001"),
    (Application, "contact_phone", "13800000002"),
    (Application, "contact_email", "project@contact.example.com"),
    (Expert, "phone", "13900000003"),
    (Expert, "email", "Expert.One@Example.com"),
    (Objection, "phone", "13900000004"),
    (Objection, "email", "objector@contact.example.com"),
]


def raw(model, field, pk):
    """The value the database holds, read with SQL (no field conversion)."""
    qn = connection.ops.quote_name
    column = model._meta.get_field(field).column
    pk_field = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {qn(column)} FROM {qn(model._meta.db_table)} WHERE {qn(pk_field.column)} = %s",
            [pk_field.get_db_prep_value(pk, connection)],
        )
        return cursor.fetchone()[0]


def write_raw(model, field, pk, value):
    qn = connection.ops.quote_name
    pk_field = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {qn(model._meta.db_table)} SET {qn(model._meta.get_field(field).column)} = %s"
            f" WHERE {qn(pk_field.column)} = %s",
            [value, pk_field.get_db_prep_value(pk, connection)],
        )


def make_contacts(call):
    """One row of every model with encrypted columns, holding the plaintexts of COLUMNS."""
    values = {(model, field): plain for model, field, plain in COLUMNS}
    org = make_organisation(
        contact_phone=values[Organisation, "contact_phone"],
        contact_email=values[Organisation, "contact_email"],
    )
    user = make_user(org, phone=values[User, "phone"])
    application = make_application(
        call,
        user,
        contact_phone=values[Application, "contact_phone"],
        contact_email=values[Application, "contact_email"],
    )
    expert = make_expert(phone=values[Expert, "phone"], email=values[Expert, "email"])
    office = make_office()
    selected = decisions.select(
        passed_maker(call, office)("被异议的项目"), default_tiers(call, office)["key"], by=office
    )
    objection = objections.file_objection(
        publish_notice(call, office),
        application=selected,
        reasons="建设内容与已验收项目重复。",
        name="张三",
        phone=values[Objection, "phone"],
        email=values[Objection, "email"],
    )
    return {
        Organisation: org,
        User: user,
        Application: application,
        Expert: expert,
        Objection: objection,
    }


@pytest.fixture
def contacts(call):
    return make_contacts(call)


# --- At rest ---------------------------------------------------------------------------


def test_every_column_holds_ciphertext_and_the_model_reads_plaintext(contacts):
    for model, field, plain in COLUMNS:
        pk = contacts[model].pk
        stored = raw(model, field, pk)
        assert stored.startswith("SM4:0:"), (model, field)
        assert plain not in stored and plain.lower() not in stored.lower()
        assert getattr(model.objects.get(pk=pk), field) == plain
        assert model.objects.filter(pk=pk).values_list(field, flat=True)[0] == plain


def test_the_column_is_text_wide_enough_for_the_ciphertext(regions):
    longest = "a" * 60 + "@" + "b" * 63 + "." + "c" * 60  # a 185-character address
    expert = make_expert(email=longest, phone="1" * 32)
    assert len(raw(Expert, "email", expert.pk)) > 254
    assert Expert.objects.get(pk=expert.pk).email == longest


def test_the_same_value_saved_twice_gives_different_ciphertexts(regions):
    first, second = make_expert(phone="13900000000"), make_expert(phone="13900000000")
    assert raw(Expert, "phone", first.pk) != raw(Expert, "phone", second.pk)
    before = raw(Expert, "phone", first.pk)
    first.save()
    assert raw(Expert, "phone", first.pk) != before


def test_empty_stays_empty_and_legacy_plaintext_is_read_as_it_is(regions):
    user = make_user(None)
    assert raw(User, "phone", user.pk) == ""
    write_raw(User, "phone", user.pk, "025-12345678")  # written before encryption existed
    assert User.objects.get(pk=user.pk).phone == "025-12345678"


def test_a_tampered_ciphertext_raises(regions):
    expert = make_expert()
    token = raw(Expert, "phone", expert.pk)
    flipped = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    write_raw(Expert, "phone", expert.pk, flipped)
    with pytest.raises(DecryptionError, match="完整性校验"):
        Expert.objects.get(pk=expert.pk)


def test_a_ciphertext_copied_into_another_column_fails_to_decrypt(regions):
    expert = make_expert(phone="13900000000", email="a@example.com")
    org = make_organisation()
    write_raw(Expert, "email", expert.pk, raw(Expert, "phone", expert.pk))
    write_raw(Organisation, "contact_phone", org.pk, raw(Expert, "phone", expert.pk))
    with pytest.raises(DecryptionError, match=r"experts\.expert\.email"):
        Expert.objects.get(pk=expert.pk)
    with pytest.raises(DecryptionError, match=r"orgs\.organisation\.contact_phone"):
        Organisation.objects.get(pk=org.pk)


def test_serialised_rows_carry_ciphertext_and_load_back_as_plaintext(regions):
    expert = make_expert(phone="13911112222", email="dump@example.com")
    dumped = serializers.serialize("json", [expert])
    assert "13911112222" not in dumped and "dump@example.com" not in dumped
    assert '"phone": "SM4:' in dumped
    (loaded,) = serializers.deserialize("json", dumped)
    assert (loaded.object.phone, loaded.object.email) == ("13911112222", "dump@example.com")


# --- Searches ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        lambda: Expert.objects.filter(email="a@example.com"),
        lambda: Expert.objects.filter(phone__icontains="139"),
        lambda: Expert.objects.exclude(email=""),
        lambda: Expert.objects.get(email__iexact="a@example.com"),
        lambda: Application.objects.filter(contact_phone__in=["13800000000"]),
        lambda: User.objects.filter(phone__startswith="138"),
        lambda: Objection.objects.filter(email__lower="x"),
    ],
)
def test_every_lookup_on_an_encrypted_field_raises(regions, query):
    make_expert(email="a@example.com")
    with pytest.raises(FieldError, match="encrypted at rest"):
        list(query())


def test_isnull_is_allowed(regions):
    make_expert()
    assert Expert.objects.filter(email__isnull=False).count() == 1


def test_a_digest_finds_the_expert_by_email_regardless_of_case_and_phone_by_digits(regions):
    expert = make_expert(email="Wang.Fang@Example.COM", phone="139 0000 1234")
    other = make_expert(email="li@example.com", phone="13900005678")
    assert len(expert.email_digest) == 64 and expert.email_digest not in repr(expert.email)
    assert list(Expert.objects.filter(email_digest=digest(" wang.fang@example.com "))) == [expert]
    assert list(pool(search="WANG.FANG@example.com")) == [expert]
    assert list(pool(search="139-0000-1234")) == [expert]
    assert list(pool(search="li@example.com")) == [other]
    assert list(pool(search="1390000")) == []  # a digest matches whole numbers only


def test_a_changed_email_gets_a_new_digest_and_a_partial_save_cannot_skip_it(regions):
    expert = make_expert(email="old@example.com")
    expert.email = "new@example.com"
    expert.save()
    assert Expert.objects.get(email_digest=digest("NEW@example.com")) == expert
    expert.email = "newer@example.com"
    with pytest.raises(ValueError, match="email_digest"):
        expert.save(update_fields=["email"])
    expert.save(update_fields=["email", "email_digest"])
    assert Expert.objects.get(email_digest=digest("newer@example.com")) == expert


def test_the_import_finds_an_expert_already_in_the_pool_by_email_in_any_case(client, regions):
    from keyprojects.experts.imports import POOL
    from keyprojects.imports.domain import check

    make_expert(account=False, email="Pool.Member@example.com")
    values = {
        "姓名": "钱七",
        "工作单位": "某单位",
        "统一社会信用代码": "",
        "所在设区市": "常州市",
        "评审领域": "网络安全类",
        "手机号码": "13900000006",
        "电子邮箱": "POOL.member@EXAMPLE.com",
    }
    (row,) = check(POOL, [{"number": 2, "values": values}])
    assert "该专家已在专家库中（电子邮箱相同）" in [e["message"] for e in row["errors"]]


def test_the_admin_finds_an_expert_by_whole_email_or_phone(client, regions):
    expert = make_expert(email="admin.search@example.com", phone="13977776666")
    make_expert()
    client.force_login(make_user(None, is_staff=True, is_superuser=True))
    url = reverse("admin:experts_expert_changelist")
    for term in ["Admin.Search@example.com", "139-7777-6666", expert.name]:
        response = client.get(url, {"q": term})
        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [expert], term


# --- Forms ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "field"),
    [(Expert, "phone"), (Organisation, "contact_phone"), (User, "phone"), (Objection, "phone")],
)
def test_forms_still_enforce_32_characters_for_phones(model, field):
    form_class = forms.modelform_factory(model, fields=[field])
    assert form_class({field: "1" * 32}).errors.get(field) is None
    too_long = form_class({field: "1" * 33})
    assert not too_long.is_valid() and "32" in str(too_long.errors[field])
    assert 'maxlength="32"' in str(form_class()[field])


def test_email_fields_still_validate_addresses():
    form_class = forms.modelform_factory(Expert, fields=["email"])
    assert not form_class({"email": "not-an-address"}).is_valid()
    assert form_class({"email": "a@example.com"}).is_valid()


# --- Keys and rotation -----------------------------------------------------------------


def stored_key_ids(contacts):
    return {crypto.key_id_of(raw(m, f, contacts[m].pk)) for m, f, _ in COLUMNS}


def test_rotation_old_key_readable_command_reencrypts_then_old_key_dropped(settings, call, capsys):
    settings.FIELD_ENCRYPTION_KEYS = [f"k1:{KEY_A}"]
    contacts = make_contacts(call)
    assert stored_key_ids(contacts) == {"k1"}
    old_token = raw(Expert, "phone", contacts[Expert].pk)

    settings.FIELD_ENCRYPTION_KEYS = [f"k2:{KEY_B}", f"k1:{KEY_A}"]
    for model, field, plain in COLUMNS:  # still readable under the old key
        assert getattr(model.objects.get(pk=contacts[model].pk), field) == plain

    call_command("rotate_field_keys", "--batch-size", "2")
    output = capsys.readouterr().out
    assert stored_key_ids(contacts) == {"k2"}
    assert "experts.expert：已重写 1 行" in output and "notices.objection：已重写 1 行" in output
    assert "experts.expert.email:k1 1" in output
    event = Event.objects.get(action="rotate_field_keys")
    assert (event.role, event.target_id, event.data["rewritten"]["experts.expert"]) == (
        "system",
        "k2",
        1,
    )

    call_command("rotate_field_keys")  # idempotent: nothing left to write
    output = capsys.readouterr().out
    assert "已重写 1 行" not in output and "experts.expert：已重写 0 行" in output

    settings.FIELD_ENCRYPTION_KEYS = [f"k2:{KEY_B}"]  # the old key is gone
    for model, field, plain in COLUMNS:
        assert getattr(model.objects.get(pk=contacts[model].pk), field) == plain
    write_raw(Expert, "phone", contacts[Expert].pk, old_token)  # from before the rotation
    with pytest.raises(DecryptionError, match="k1"):
        Expert.objects.get(pk=contacts[Expert].pk)


def test_rows_under_the_derived_key_are_rotated_to_the_configured_one(settings, regions):
    expert = make_expert(phone="13900000000")
    assert crypto.key_id_of(raw(Expert, "phone", expert.pk)) == "0"
    settings.FIELD_ENCRYPTION_KEYS = [f"k1:{KEY_A}"]
    call_command("rotate_field_keys", "--dry-run")
    assert crypto.key_id_of(raw(Expert, "phone", expert.pk)) == "0"
    assert not Event.objects.filter(action="rotate_field_keys").exists()
    call_command("rotate_field_keys")
    assert crypto.key_id_of(raw(Expert, "phone", expert.pk)) == "k1"


def test_a_new_digest_key_is_applied_to_stored_digests_by_the_command(settings, regions):
    expert = make_expert(email="digest@example.com")
    settings.FIELD_DIGEST_KEY = KEY_B * 2
    assert not Expert.objects.filter(email_digest=digest("digest@example.com")).exists()
    call_command("rotate_field_keys")
    assert Expert.objects.get(email_digest=digest("digest@example.com")) == expert


@pytest.mark.parametrize(
    "keys",
    [["k1:abcd"], ["k1:" + "zz" * 16], [f"0:{KEY_A}"], [f"k1:{KEY_A}", f"k1:{KEY_B}"], [KEY_A]],
)
def test_malformed_keys_are_reported_by_the_system_check(settings, keys):
    settings.FIELD_ENCRYPTION_KEYS = keys
    (error,) = crypto.check_key_configuration()
    assert error.id == "keyprojects.E001"


def test_the_deploy_check_warns_while_keys_are_derived_from_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEYS, settings.FIELD_DIGEST_KEY = [], ""
    assert {w.id for w in crypto.check_keys_not_derived()} == {
        "keyprojects.W001",
        "keyprojects.W002",
    }
    settings.FIELD_ENCRYPTION_KEYS, settings.FIELD_DIGEST_KEY = [f"k1:{KEY_A}"], KEY_B
    assert crypto.check_keys_not_derived() == []
    assert crypto.check_key_configuration() == []


# --- Migrations ----------------------------------------------------------------------

# The last migration of each app before encryption.
PLAINTEXT_STATE = [
    ("applications", "0004_selection_statuses"),
    ("orgs", "0003_password_policy"),
    ("experts", "0002_reviewplan_version_conflictdeclaration"),
    ("notices", "0001_initial"),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_migrations_write_plaintext_back_and_encrypt_it_again(call):
    contacts = make_contacts(call)
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        migrate(PLAINTEXT_STATE)
        for model, field, plain in COLUMNS:
            assert raw(model, field, contacts[model].pk) == plain, (model, field)

        migrate(latest)
        for model, field, plain in COLUMNS:
            pk = contacts[model].pk
            assert raw(model, field, pk).startswith("SM4:0:"), (model, field)
            assert getattr(model.objects.get(pk=pk), field) == plain
        found = Expert.objects.get(email_digest=digest("expert.one@example.com"))
        assert found.pk == contacts[Expert].pk
        assert Expert.objects.get(phone_digest=digest("139 0000 0003")).pk == found.pk
    finally:
        migrate(latest)
