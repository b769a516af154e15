"""The product's URLs plus the two yardsticks of issue 7, served by the same gunicorn:

- /bench/trivial/: a trivial Django view (a fixed text through the whole middleware stack);
- /bench/plain-list/: a plain Django list view of 50 rows (organisations by primary key,
  paginated, one small template, no base layout).
"""

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

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


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/plain-list/", plain_list),
    path("", include("keyprojects.urls")),
]
