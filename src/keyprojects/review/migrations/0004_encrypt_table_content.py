"""Summary tables' frozen content: existing plaintext rows encrypted with SM4 (core/crypto.py).

Their verification codes are SM3 over the plaintext and do not change. Backwards, the
plaintext JSON is written back before the column returns to JSON.
"""

from django.db import migrations

from keyprojects.core.fields import migrate_backward, migrate_forward

COLUMNS = [("review.SummaryTable", ["content"])]


def encrypt(apps, schema_editor):
    migrate_forward(apps, COLUMNS)


def decrypt(apps, schema_editor):
    migrate_backward(apps, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("review", "0003_encrypted_table_content")]

    operations = [migrations.RunPython(encrypt, decrypt)]
