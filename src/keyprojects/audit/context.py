"""What the audit trail knows of the request being served: the client's address."""

import contextvars

current_ip = contextvars.ContextVar("audit_client_ip", default=None)
