"""What the audit trail knows of the request being served: the client's address and who
is signed in (for events recorded far from the view, such as a refused upload)."""

import contextvars

current_ip = contextvars.ContextVar("audit_client_ip", default=None)
current_request = contextvars.ContextVar("audit_request", default=None)


def current_user():
    """The user of the request being served, or None outside a request."""
    request = current_request.get()
    return getattr(request, "user", None) if request is not None else None
