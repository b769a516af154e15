"""The summary table's frozen content (contact names and phones) is encrypted at rest with
SM4 like the other contact data; its verification code stays SM3 over the plaintext, so
rotating the key or migrating changes no code a stamped scan carries."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from keyprojects.core import crypto
from keyprojects.review import domain
from keyprojects.review.models import SummaryTable

KEY_A, KEY_B = "00112233445566778899aabbccddeeff", "ffeeddccbbaa99887766554433221100"
PHONE = "13800000000"  # the sample project's contact phone (core/demo.SAMPLE_PROJECT)


def raw(pk) -> str:
    """The content as the database holds it, read with SQL (no field conversion)."""
    pk_field = SummaryTable._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content FROM review_summarytable WHERE id = %s",
            [pk_field.get_db_prep_value(pk, connection)],
        )
        value = cursor.fetchone()[0]
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


@pytest.fixture
def table(call, county, county_reviewer, submitted):
    for application in submitted:
        domain.decide(application, "recommend", by=county_reviewer, reason="同意推荐")
    return domain.start_table(domain.batch_for(call, county), by=county_reviewer)


def test_the_content_is_ciphertext_in_the_database_and_the_code_is_over_the_plaintext(table):
    stored = raw(table.pk)
    assert stored.startswith("SM4:") and PHONE not in stored and "沛县" not in stored
    loaded = SummaryTable.objects.get(pk=table.pk)
    assert PHONE in loaded.content["rows"][0]["contact"]
    assert domain.verification_code(loaded.content) == table.code
    assert table.code == domain.current_code(table.batch.call, table.batch.authority)


def test_a_copied_ciphertext_does_not_decrypt_as_another_column(table, county_applicant):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(raw(table.pk), "applications.application.contact_phone")


def test_rotate_field_keys_reencrypts_the_tables_and_keeps_their_codes(settings, table, capsys):
    settings.FIELD_ENCRYPTION_KEYS = [f"k2:{KEY_B}", f"k1:{KEY_A}"]
    assert crypto.key_id_of(raw(table.pk)) == "0"  # written under the derived key

    call_command("rotate_field_keys")

    assert "review.summarytable：已重写 1 行" in capsys.readouterr().out
    assert crypto.key_id_of(raw(table.pk)) == "k2"
    settings.FIELD_ENCRYPTION_KEYS = [f"k2:{KEY_B}"]
    loaded = SummaryTable.objects.get(pk=table.pk)
    assert domain.verification_code(loaded.content) == table.code
    call_command("rotate_field_keys", "--dry-run")
    assert "review.summarytable：待重写 0 行" in capsys.readouterr().out


def test_serialised_tables_carry_ciphertext(table):
    from django.core import serializers

    dumped = serializers.serialize("json", SummaryTable.objects.all())
    assert PHONE not in dumped
    (restored,) = serializers.deserialize("json", dumped)
    assert restored.object.content == SummaryTable.objects.get(pk=table.pk).content


@pytest.mark.django_db(transaction=True)
def test_the_migrations_write_plaintext_back_and_encrypt_it_again(table):
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    content = SummaryTable.objects.get(pk=table.pk).content
    try:
        MigrationExecutor(connection).migrate([("review", "0002_batch_extension")])
        plain = raw(table.pk)
        assert PHONE in plain and json.loads(plain) == content

        MigrationExecutor(connection).migrate(latest)
        assert raw(table.pk).startswith("SM4:0:")
        assert SummaryTable.objects.get(pk=table.pk).content == content
    finally:
        MigrationExecutor(connection).migrate(latest)
