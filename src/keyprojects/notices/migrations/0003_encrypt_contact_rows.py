"""Objectors' phones and e-mail addresses: existing plaintext rows encrypted with SM4 (core/crypto.py).

Backwards, the plaintext is written back before the column returns to varchar.
"""

from django.db import migrations

from keyprojects.core.fields import migrate_backward, migrate_forward

COLUMNS = [("notices.Objection", ["phone", "email"])]


def encrypt(apps, schema_editor):
    migrate_forward(apps, COLUMNS)


def decrypt(apps, schema_editor):
    migrate_backward(apps, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("notices", "0002_encrypted_contact_columns")]

    operations = [migrations.RunPython(encrypt, decrypt)]
