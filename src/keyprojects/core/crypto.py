"""商用密码 for personal data at rest: SM4-GCM encryption and HMAC-SM3 search digests.

Keys come from the environment through settings (docs/security.md, "商用密码"):

- `FIELD_ENCRYPTION_KEYS` (env `KEYPROJECTS_FIELD_KEYS`): "id:hex32,id:hex32". The first
  key encrypts; every listed key decrypts, so a key is rotated by putting the new one first,
  running `manage.py rotate_field_keys` and then removing the old one.
- `FIELD_DIGEST_KEY` (env `KEYPROJECTS_DIGEST_KEY`, hex): the HMAC-SM3 key of the digests
  that let exact searches (an e-mail address, a phone number) find encrypted rows.

Without them (`make run`, tests) both keys are derived from SECRET_KEY with HMAC-SM3 under
different labels; the derived encryption key has the id "0" and stays readable after real
keys are configured, so rows written before can be rotated. `check --deploy` warns while
either key is derived.

A value is stored as "SM4:<key id>:<base64(nonce | ciphertext | tag)>" with a random 12-byte
nonce. The associated data names the column ("experts.expert.email"): a ciphertext copied
into another column or table fails to decrypt instead of showing up as someone's data.
Values without the prefix are plaintext written before encryption and are returned as
they are; the empty string stays empty.
"""

import base64
import binascii
import functools
import hmac
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

PREFIX = "SM4:"
DERIVED_ID = "0"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 16  # SM4 is a 128-bit block cipher with a 128-bit key
KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
ENCRYPTION_LABEL = b"keyprojects.field-encryption.sm4"
DIGEST_LABEL = b"keyprojects.field-digest.hmac-sm3"


class DecryptionError(Exception):
    """A stored value that cannot be decrypted: unknown key, tampered, or another column's."""


@dataclass(frozen=True)
class Keyring:
    current_id: str
    keys: dict  # id -> 16-byte key; includes the derived key "0" for reading
    derived: bool  # the current key is the one derived from SECRET_KEY


def _derive(label: bytes, length: int) -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), label, "sm3").digest()[:length]


def parse_keys(entries) -> list[tuple[str, bytes]]:
    """[("id", key bytes)...] from ["id:hex32", ...]; ImproperlyConfigured when malformed."""
    parsed, seen = [], set()
    for entry in entries:
        key_id, _, hexkey = entry.strip().partition(":")
        if not KEY_ID.match(key_id) or key_id == DERIVED_ID:
            raise ImproperlyConfigured(
                f"KEYPROJECTS_FIELD_KEYS: key id {key_id!r} must be 1-16 letters, digits, - "
                f'or _, and not "{DERIVED_ID}" (reserved for the key derived from SECRET_KEY)'
            )
        if key_id in seen:
            raise ImproperlyConfigured(f"KEYPROJECTS_FIELD_KEYS: key id {key_id!r} repeated")
        try:
            key = bytes.fromhex(hexkey)
        except ValueError:
            key = b""
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"KEYPROJECTS_FIELD_KEYS: key {key_id!r} must be {KEY_BYTES * 2} hex digits"
            )
        seen.add(key_id)
        parsed.append((key_id, key))
    return parsed


@functools.lru_cache(maxsize=8)
def _keyring(entries: tuple, secret_key: str) -> Keyring:
    derived = _derive(ENCRYPTION_LABEL, KEY_BYTES)
    configured = parse_keys(entries)
    keys = dict(configured)
    keys.setdefault(DERIVED_ID, derived)  # data written before the keys were set
    if configured:
        return Keyring(configured[0][0], keys, derived=False)
    return Keyring(DERIVED_ID, keys, derived=True)


def keyring() -> Keyring:
    entries = tuple(getattr(settings, "FIELD_ENCRYPTION_KEYS", None) or ())
    return _keyring(entries, settings.SECRET_KEY)


@functools.lru_cache(maxsize=8)
def _digest_key(configured: str, secret_key: str) -> bytes:
    if not configured:
        return _derive(DIGEST_LABEL, 32)
    try:
        key = bytes.fromhex(configured)
    except ValueError:
        key = b""
    if len(key) < KEY_BYTES:
        raise ImproperlyConfigured("KEYPROJECTS_DIGEST_KEY must be at least 32 hex digits")
    return key


def digest_key() -> bytes:
    return _digest_key(getattr(settings, "FIELD_DIGEST_KEY", "") or "", settings.SECRET_KEY)


def _cipher(key: bytes, nonce: bytes, tag: bytes | None = None) -> Cipher:
    return Cipher(algorithms.SM4(key), modes.GCM(nonce, tag))


def is_encrypted(value) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


def key_id_of(token: str) -> str:
    """The id of the key a stored value was encrypted with ("" for legacy plaintext)."""
    return token[len(PREFIX) :].partition(":")[0] if is_encrypted(token) else ""


def encrypt(text: str, context: str = "") -> str:
    """The token stored for `text`; `context` (the column) is authenticated, not stored."""
    if text == "":
        return ""
    ring = keyring()
    nonce = os.urandom(NONCE_BYTES)
    encryptor = _cipher(ring.keys[ring.current_id], nonce).encryptor()
    encryptor.authenticate_additional_data(context.encode())
    sealed = encryptor.update(text.encode()) + encryptor.finalize()
    payload = base64.b64encode(nonce + sealed + encryptor.tag).decode("ascii")
    return f"{PREFIX}{ring.current_id}:{payload}"


def decrypt(token: str, context: str = "") -> str:
    """The plaintext of a stored value; legacy plaintext and "" are returned as they are."""
    if not is_encrypted(token):
        return token
    key_id, _, payload = token[len(PREFIX) :].partition(":")
    key = keyring().keys.get(key_id)
    if key is None:
        raise DecryptionError(
            f"字段密钥“{key_id}”未配置（KEYPROJECTS_FIELD_KEYS），无法解密 {context}"
        )
    try:
        raw = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError) as error:
        raise DecryptionError(f"{context} 的密文格式不正确") from error
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError(f"{context} 的密文格式不正确")
    nonce, sealed, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    decryptor = _cipher(key, nonce, tag).decryptor()
    decryptor.authenticate_additional_data(context.encode())
    try:
        plain = decryptor.update(sealed) + decryptor.finalize()
    except InvalidTag as error:
        raise DecryptionError(
            f"{context} 的密文未通过完整性校验（被篡改，或来自其他字段）"
        ) from error
    return plain.decode()


def normalise(text: str) -> str:
    """What a search compares: e-mail addresses lower-cased and stripped, phones digits only."""
    text = (text or "").strip()
    if "@" in text:
        return text.lower()
    return "".join(ch for ch in text if ch.isascii() and ch.isdigit())


def digest(text: str) -> str:
    """HMAC-SM3 (hex) of the normalised value; "" when nothing is left to compare."""
    value = normalise(text)
    if not value:
        return ""
    return hmac.new(digest_key(), value.encode(), "sm3").hexdigest()


# --- System checks --------------------------------------------------------------------


@checks.register(checks.Tags.security)
def check_key_configuration(app_configs=None, **kwargs):
    """Malformed keys stop every command, not just the first read of a contact."""
    errors = []
    probes = [("KEYPROJECTS_FIELD_KEYS", keyring), ("KEYPROJECTS_DIGEST_KEY", digest_key)]
    for name, probe in probes:
        try:
            probe()
        except ImproperlyConfigured as error:
            errors.append(checks.Error(str(error), id="keyprojects.E001", obj=name))
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_keys_not_derived(app_configs=None, **kwargs):
    warnings = []
    if not getattr(settings, "FIELD_ENCRYPTION_KEYS", None):
        warnings.append(
            checks.Warning(
                "Personal contact data is encrypted with a key derived from SECRET_KEY.",
                hint="Set KEYPROJECTS_FIELD_KEYS (id:32 hex digits); see docs/security.md.",
                id="keyprojects.W001",
            )
        )
    if not getattr(settings, "FIELD_DIGEST_KEY", ""):
        warnings.append(
            checks.Warning(
                "Search digests of contact data use a key derived from SECRET_KEY.",
                hint="Set KEYPROJECTS_DIGEST_KEY (64 hex digits); see docs/security.md.",
                id="keyprojects.W002",
            )
        )
    return warnings
