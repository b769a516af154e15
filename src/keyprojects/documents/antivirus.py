"""Virus scanning of uploads by ClamAV's daemon (clamd), when one is configured.

`KEYPROJECTS_CLAMD_SOCKET` names clamd: a Unix socket path (`/run/clamav/clamd.ctl`) or
`host:port` (`tcp://` optional). Unset, nothing is scanned (a single machine without
ClamAV). Set, every upload is streamed to clamd with its INSTREAM command before anything
else reads it (documents/uploads.inspect_upload calls `scan`), and the upload is refused
when clamd finds something or cannot be asked: a scanner that is down must not let files
through unseen (fail closed). /healthz reports clamd (core/health.py).

The protocol is small enough to speak here (docs: clamd(8), "INSTREAM"): the command,
then chunks each preceded by its length as a 4-byte big-endian integer, then a zero length;
clamd answers one line, `stream: OK`, `stream: <signature> FOUND` or `... ERROR`.
"""

import socket
import struct
from dataclasses import dataclass

from django.conf import settings

_CHUNK = 64 * 1024


class ScannerUnavailable(Exception):
    """clamd could not be reached or did not answer as expected."""


@dataclass(frozen=True)
class Verdict:
    clean: bool
    signature: str = ""  # the name of what clamd found, when not clean


def configured() -> str:
    """The clamd address from the settings, or '' when scanning is off."""
    return (getattr(settings, "CLAMD_SOCKET", "") or "").strip()


def _connect(address: str, timeout: float) -> socket.socket:
    try:
        if address.startswith("unix://"):
            address = address.removeprefix("unix://")
        if address.startswith("/"):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(address)
            return sock
        host, _sep, port = address.removeprefix("tcp://").rpartition(":")
        return socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)
    except (OSError, ValueError) as error:
        raise ScannerUnavailable(f"cannot connect to clamd at {address}: {error}") from error


def _ask(address: str, command: bytes, body=None, timeout: float | None = None) -> str:
    """Send one null-terminated command (and the stream for INSTREAM); return the reply."""
    timeout = timeout or settings.CLAMD_TIMEOUT
    with _connect(address, timeout) as sock:
        try:
            sock.sendall(b"z" + command + b"\0")
            if body is not None:
                while chunk := body.read(_CHUNK):
                    sock.sendall(struct.pack(">I", len(chunk)) + chunk)
                sock.sendall(struct.pack(">I", 0))
            reply = b""
            while not reply.endswith(b"\0") and (part := sock.recv(4096)):
                reply += part
        except OSError as error:
            # clamd closes the connection on a stream over its StreamMaxLength, among others.
            raise ScannerUnavailable(f"clamd did not answer: {error}") from error
    if not reply.endswith(b"\0"):
        raise ScannerUnavailable("clamd closed the connection without an answer")
    return reply.rstrip(b"\0").decode("utf-8", "replace").strip()


def scan(f, address: str | None = None) -> Verdict:
    """Stream the file `f` (from its start) to clamd; the file is left at position 0."""
    address = address or configured()
    f.seek(0)
    try:
        reply = _ask(address, b"INSTREAM", body=f)
    finally:
        f.seek(0)
    if reply.endswith("FOUND"):
        signature = reply.removeprefix("stream:").removesuffix("FOUND").strip()
        return Verdict(clean=False, signature=signature)
    if reply == "stream: OK":
        return Verdict(clean=True)
    raise ScannerUnavailable(f"clamd answered: {reply}")  # e.g. size limit exceeded. ERROR


def ping(address: str | None = None) -> None:
    """Raise ScannerUnavailable unless clamd answers PONG (for /healthz)."""
    reply = _ask(address or configured(), b"PING", timeout=min(settings.CLAMD_TIMEOUT, 5))
    if reply != "PONG":
        raise ScannerUnavailable(f"clamd answered {reply!r} to PING")
