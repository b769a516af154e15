"""The product's URLs plus the two yardsticks of issue 7, served by the same gunicorn:

- /bench/trivial/: a trivial Django view (a fixed text through the whole middleware stack);
- /bench/plain-list/: a plain Django list view of 50 rows (organisations by primary key,
  paginated, one small template, no base layout);
- /bench/plain-office-rows/<call>/: the office list's rows written the plain Django way (its
  50 rows, order and columns: select_related, a Paginator and a small template; no counts,
  filters, flags or sending status), to read the office list's figure against.

and two floors of what any draft save must do, to read the autosave's figure against:

- /bench/signed-in/: the trivial view behind login_required (the session and the user);
- /bench/floor-save/<pk>/: a signed-in POST (CSRF checked) that finds the user's own
  application and, in a transaction, reads it under its lock and writes it, as
  applications.domain.save_draft does, with no form, no audit record and no template.
"""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.template import engines
from django.urls import include, path
from django.views.decorators.http import require_POST

from keyprojects.applications.models import Application
from keyprojects.applications.queries import visible_to
from keyprojects.applications.workflow import RECOMMENDED_ONWARDS
from keyprojects.core.clock import now
from keyprojects.orgs.models import Organisation

PLAIN_LIST = engines["django"].from_string(
    "<!doctype html><title>list</title><table>"
    "{% for o in page %}<tr><td>{{ o.name }}</td><td>{{ o.credit_code }}</td>"
    "<td>{{ o.contact_name }}</td><td>{{ o.created_at|date:'Y-m-d' }}</td></tr>{% endfor %}"
    "</table><p>{{ page.number }} / {{ page.paginator.num_pages }}</p>"
)


def trivial(request):
    return HttpResponse("ok", content_type="text/plain")


def plain_list(request):
    rows = Organisation.objects.order_by("pk")  # the primary key index: no sort
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return HttpResponse(PLAIN_LIST.render({"page": page}, request))


PLAIN_OFFICE_ROWS = engines["django"].from_string(
    "<!doctype html><title>rows</title><table>"
    "{% for a in page %}<tr><td><a href='/selection/check/{{ a.pk }}/'>{{ a.name }}</a></td>"
    "<td>{{ a.organisation.name }}</td><td>{{ a.organisation.seat.parent.name }}</td>"
    "<td>{{ a.authority.name }}</td><td>{{ a.category.name }}</td>"
    "<td>{{ a.total_investment }}</td><td>{{ a.get_status_display }}</td></tr>{% endfor %}"
    "</table><p>{{ page.number }} / {{ page.paginator.num_pages }}</p>"
)


@login_required
def plain_office_rows(request, slug):
    # signed in (the office), as the page it stands for
    rows = (
        Application.objects.filter(call__slug=slug, status__in=RECOMMENDED_ONWARDS)
        .select_related("organisation__seat__parent", "category", "authority")
        .order_by("authority__kind", "authority__name", "submitted_at", "pk")
    )
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return HttpResponse(PLAIN_OFFICE_ROWS.render({"page": page}, request))


@login_required
def signed_in(request):
    return HttpResponse("ok", content_type="text/plain")


@login_required
@require_POST
def floor_save(request, pk):
    application = get_object_or_404(visible_to(request.user).only("pk"), pk=pk)
    with transaction.atomic():
        Application.objects.filter(pk=application.pk).select_for_update().values("version").get()
        Application.objects.filter(pk=application.pk).update(updated_at=now())
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/plain-list/", plain_list),
    path("bench/signed-in/", signed_in),
    path("bench/plain-office-rows/<slug:slug>/", plain_office_rows),
    path("bench/floor-save/<uuid:pk>/", floor_save),
    path("", include("keyprojects.urls")),
]
