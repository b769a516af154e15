"""Model fields for personal contact data encrypted at rest (core/crypto.py), and the
digests that let exact searches find them.

`EncryptedCharField` and `EncryptedEmailField` behave like CharField and EmailField in
Python and forms (max_length is the plaintext limit users see), but the column is `text`
(the ciphertext is longer than the plaintext, and PostgreSQL enforces varchar lengths).
The database cannot compare ciphertexts, so every lookup except `isnull` raises: an
`exact` on a ciphertext would silently match nothing. Search with a `DigestField` instead.

Serialisation (dumpdata, `manage.py backup`) writes the ciphertext, so archives carry no
plaintext; deserialisation decrypts it, and the save encrypts again under the current key.
"""

import json

from django.core import checks, exceptions
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Case, CharField, Value, When, signals

from . import crypto

ALLOWED_LOOKUPS = {"isnull"}


def column_of(field) -> str:
    """The associated data of a field's ciphertext: "app.model.field"."""
    return f"{field.model._meta.label_lower}.{field.name}"


class EncryptedLookupError(exceptions.FieldError):
    pass


class EncryptedMixin:
    def db_type(self, connection):
        return models.TextField().db_type(connection)

    def get_lookup(self, lookup_name):
        if lookup_name in ALLOWED_LOOKUPS:
            return super().get_lookup(lookup_name)
        raise EncryptedLookupError(
            f"{column_of(self)} is encrypted at rest: the database cannot compare it "
            f"(lookup {lookup_name!r}). Search its digest field, e.g. "
            f"filter(email_digest=crypto.digest(value))."
        )

    def get_transform(self, lookup_name):
        raise EncryptedLookupError(f"{column_of(self)} is encrypted at rest: no {lookup_name!r}")

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return crypto.decrypt(value, column_of(self))

    def to_python(self, value):
        # Deserialisation (backup restore, loaddata) hands over the stored token.
        if crypto.is_encrypted(value):
            try:
                return crypto.decrypt(value, column_of(self))
            except crypto.DecryptionError as error:
                raise exceptions.ValidationError(str(error), code="invalid") from error
        return super().to_python(value)

    def get_prep_value(self, value):
        value = models.Field.get_prep_value(self, value)  # resolves lazy strings
        if value is None:
            return None
        return crypto.encrypt(str(value), column_of(self))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.unique or self.db_index or self.primary_key:
            errors.append(
                checks.Error(
                    "An encrypted field cannot be unique, indexed or a primary key "
                    "(equal values have different ciphertexts).",
                    hint="Index a DigestField of it instead.",
                    obj=self,
                    id="keyprojects.E002",
                )
            )
        return errors


class EncryptedCharField(EncryptedMixin, models.CharField):
    description = "String encrypted with SM4 (up to %(max_length)s characters)"


class EncryptedEmailField(EncryptedMixin, models.EmailField):
    description = "E-mail address encrypted with SM4"


class EncryptedJSONField(EncryptedMixin, models.TextField):
    """A JSON document (dicts, lists, strings, numbers) encrypted with SM4 as a whole.

    For documents frozen as they were shown (the summary table's content): nothing inside
    is queried. Stored rows written before encryption (plain JSON text) are still read.
    """

    description = "JSON document encrypted with SM4"

    def from_db_value(self, value, expression, connection):
        if value is None:
            return value
        return json.loads(crypto.decrypt(value, column_of(self)))

    def to_python(self, value):
        if isinstance(value, str):
            try:
                return json.loads(crypto.decrypt(value, column_of(self)))
            except (crypto.DecryptionError, ValueError) as error:
                raise exceptions.ValidationError(str(error), code="invalid") from error
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return crypto.encrypt(self.plain_text(value), column_of(self))

    def plain_text(self, value) -> str:
        return json.dumps(value, ensure_ascii=False, sort_keys=True, cls=DjangoJSONEncoder)


class DigestField(models.CharField):
    """HMAC-SM3 of another field's normalised value, recomputed on every save.

    `Model.objects.filter(email_digest=crypto.digest(text))` finds rows whose encrypted
    `email` equals `text` (case and spacing of e-mail addresses, punctuation of phone
    numbers aside). A save(update_fields=[...]) naming the source but not the digest raises,
    so the two cannot drift apart; QuerySet.update() of the source must set both.
    """

    def __init__(self, *args, of, **kwargs):
        self.of = of
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["of"] = self.of
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = crypto.digest(getattr(model_instance, self.of) or "")
        setattr(model_instance, self.attname, value)
        return value

    def contribute_to_class(self, cls, name, **kwargs):
        super().contribute_to_class(cls, name, **kwargs)
        if not cls._meta.abstract:
            signals.pre_save.connect(self._refuse_partial_update, sender=cls)

    def _refuse_partial_update(self, sender, instance, update_fields=None, **kwargs):
        if update_fields and self.of in update_fields and self.name not in update_fields:
            raise ValueError(f"save(update_fields=...) names {self.of!r} but not {self.name!r}")


# --- Bulk work on existing rows: data migrations and rotate_field_keys ----------------


def encrypted_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]


def digest_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if isinstance(f, DigestField)]


def raw_values(queryset, fields):
    """Rows of (pk, stored value of each field...) as the database holds them."""
    raw = {
        f"raw_{f.attname}": models.ExpressionWrapper(
            models.F(f.attname), output_field=models.TextField()
        )
        for f in fields
    }
    return queryset.annotate(**raw).values_list("pk", *raw)


def reencrypt(model, pks, fields) -> None:
    """Write the given rows' fields again: encrypted under the current key, digests renewed.

    Rows are locked while they are read and written back, so a concurrent edit is not
    overwritten with the value read before it.
    """
    names = [f.attname for f in fields] + [f.attname for f in digest_fields(model)]
    sources = {f.of for f in digest_fields(model)}
    loaded = [*names, *(s for s in sources if s not in names)]
    rows = list(model._base_manager.select_for_update().filter(pk__in=pks).only(*loaded))
    for row in rows:
        for field in digest_fields(model):
            field.pre_save(row, add=False)
    if rows:
        model._base_manager.bulk_update(rows, names)


def write_plaintext(model, pks, fields) -> None:
    """The reverse of the data migrations: the given rows' fields as plaintext again.

    Value(..., output_field=CharField()) bypasses the encrypted field's get_prep_value, which
    would otherwise encrypt the plaintext again.
    """
    rows = list(model._base_manager.filter(pk__in=pks).only(*[f.attname for f in fields]))
    if not rows:
        return

    def plain(field, row):
        value = getattr(row, field.attname)
        return field.plain_text(value) if hasattr(field, "plain_text") else value

    updates = {
        f.attname: Case(
            *[When(pk=row.pk, then=Value(plain(f, row), output_field=CharField())) for row in rows],
            output_field=CharField(),
        )
        for f in fields
    }
    model._base_manager.filter(pk__in=[row.pk for row in rows]).update(**updates)


def batches(model, size=500):
    """Primary keys of every row, a list of at most `size` at a time (keyset pagination)."""
    queryset = model._base_manager.order_by("pk").values_list("pk", flat=True)
    last = None
    while True:
        page = list((queryset.filter(pk__gt=last) if last is not None else queryset)[:size])
        if not page:
            return
        yield page
        last = page[-1]


def migrate_forward(apps, specs, size=500):
    """Data migration: encrypt every listed column (legacy plaintext included)."""
    for label, names in specs:
        model = apps.get_model(label)
        fields = [model._meta.get_field(name) for name in names]
        for pks in batches(model, size):
            reencrypt(model, pks, fields)


def migrate_backward(apps, specs, size=500):
    for label, names in specs:
        model = apps.get_model(label)
        fields = [model._meta.get_field(name) for name in names]
        for pks in batches(model, size):
            write_plaintext(model, pks, fields)
