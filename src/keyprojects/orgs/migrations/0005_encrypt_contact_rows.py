"""Organisation contacts and users' phones: existing plaintext rows encrypted with SM4 (core/crypto.py).

Backwards, the plaintext is written back before the column returns to varchar.
"""

from django.db import migrations

from keyprojects.core.fields import migrate_backward, migrate_forward

COLUMNS = [
    ("orgs.Organisation", ["contact_phone", "contact_email"]),
    ("orgs.User", ["phone"]),
]


def encrypt(apps, schema_editor):
    migrate_forward(apps, COLUMNS)


def decrypt(apps, schema_editor):
    migrate_backward(apps, COLUMNS)


class Migration(migrations.Migration):
    dependencies = [("orgs", "0004_encrypted_contact_columns")]

    operations = [migrations.RunPython(encrypt, decrypt)]
