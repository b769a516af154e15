"""Gives the audit trail the client's address, and records downloads and refusals."""

from django.core.exceptions import PermissionDenied

from keyprojects.core.network import client_ip

from . import chain
from .context import current_ip, current_request
from .domain import event
from .models import Event


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        request_token = current_request.set(request)
        try:
            response = self.get_response(request)
            disposition = response.get("Content-Disposition", "")
            if response.status_code == 200 and disposition.startswith("attachment"):
                chain.append(
                    [
                        event(
                            "download",
                            request.path,
                            "download",
                            actor=request.user,
                            data={"disposition": disposition[:200]},
                        )
                    ]
                )
            return response
        finally:
            current_ip.reset(token)
            current_request.reset(request_token)

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):
            chain.append(
                [
                    event(
                        "request",
                        request.path,
                        "permission_denied",
                        actor=request.user,
                        data={"method": request.method},
                        outcome=Event.Outcome.DENIED,
                    )
                ]
            )
