"""Pages around the API: the office's token page (issue, list, revoke) and the
documentation page.

The documentation page is Swagger UI from django-ninja's own bundle (the installed, pinned
package; no CDN), served through `docs_asset`, and started by our static api/docs.js from
settings carried as JSON: django-ninja's page would need "ninja" in INSTALLED_APPS for its
static files, and the site's CSP allows no inline script or style.
"""

from pathlib import Path

import ninja
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from keyprojects.applications.workflow import TransitionRefused
from keyprojects.core.access import require
from keyprojects.core.clock import now

from . import tokens
from .forms import RevokeForm, TokenForm
from .models import ApiToken

PER_PAGE = 50


def _token_list(request):
    rows = ApiToken.objects.select_related("authority", "created_by", "revoked_by")
    return Paginator(rows.order_by("-created_at", "pk"), PER_PAGE).get_page(request.GET.get("page"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def tokens_page(request):
    require(request, "api.manage_tokens")
    form = TokenForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                token, secret = tokens.issue(
                    name=form.cleaned_data["name"],
                    authority=form.cleaned_data["authority"],
                    scopes=form.cleaned_data["scopes"],
                    expires_at=form.expires_at,
                    by=request.user,
                )
            except TransitionRefused as refused:
                form.add_error(None, str(refused.message))
            else:
                # The secret is in this response only: never stored, never redirected with.
                return render(request, "api/token_created.html", {"token": token, "secret": secret})
        status = 400
    listed = _token_list(request)
    at = now()
    rows = [(token, token.state(at)) for token in listed.object_list]
    context = {"form": form, "page": listed, "rows": rows}
    return render(request, "api/tokens.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def revoke_token(request, pk):
    require(request, "api.manage_tokens")
    token = get_object_or_404(ApiToken.objects.select_related("authority"), pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tokens.revoke(token, by=request.user, reason=form.cleaned_data["reason"])
        except TransitionRefused as refused:
            messages.warning(request, str(refused.message))
        else:
            messages.success(request, _("令牌“%(name)s”已吊销，立即失效。") % {"name": token.name})
        return redirect("api:tokens")
    return render(
        request, "api/revoke.html", {"token": token, "state": token.state(), "form": form}
    )


@require_GET
def docs(request):
    config = {
        "url": reverse("api-v1:openapi-json"),
        "deepLinking": True,
        "supportedSubmitMethods": ["get"],
        # Swagger UI would otherwise ask validator.swagger.io about the schema.
        "validatorUrl": None,
        "defaultModelsExpandDepth": 0,
    }
    return render(
        request,
        "api/docs.html",
        {"swagger_settings": config, "ninja_version": ninja.__version__},
    )


ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
}
ASSET_DIR = Path(ninja.__file__).parent / "static" / "ninja"


@require_GET
def docs_asset(request, name):
    if name not in ASSETS:
        raise Http404
    response = FileResponse((ASSET_DIR / name).open("rb"), content_type=ASSETS[name])
    # The URL carries django-ninja's version, so a new bundle gets a new URL.
    response["Cache-Control"] = "public, max-age=604800, immutable"
    return response
