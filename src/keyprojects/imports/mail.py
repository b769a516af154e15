"""E-mails an import sends once committed (set-password links, invitations): over one
connection, with progress, never failing the import (it is committed; a mail that could
not be sent is logged and the person can use "forgot password" or be invited again)."""

import logging

from django.core.mail import EmailMessage, get_connection

logger = logging.getLogger(__name__)

CHUNK = 50


def send_all(mails: list[tuple[str, str, str]], *, progress) -> int:
    """Send (subject, body, recipient) mails; progress(done, total) after each chunk."""
    total, sent = len(mails), 0
    progress(0, total)
    for start in range(0, total, CHUNK):
        chunk = [EmailMessage(s, b, None, [to]) for s, b, to in mails[start : start + CHUNK]]
        try:
            with get_connection(fail_silently=True) as connection:
                sent += connection.send_messages(chunk) or 0
        except OSError:  # the server could not be reached at all
            logger.exception("import e-mails %d–%d not sent", start + 1, start + len(chunk))
        progress(min(start + CHUNK, total), total)
    return sent
