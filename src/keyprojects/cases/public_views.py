"""The public face of typical cases, open to anyone: the library with its filters and search,
one page per case (printable), the pictures, and the yearly collection PDF."""

from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from keyprojects.core.access import require

from . import collection, queries, search
from .forms import LibraryFilter
from .models import Case, Collection, Image

PER_PAGE = 12


@require_GET
def library(request):
    years, categories, cities = queries.filter_choices()
    form = LibraryFilter(request.GET, years=years, categories=categories, cities=cities)
    values = form.values()
    query_terms = search.terms(values.get("q") or "")
    cases = queries.library(
        year=values.get("year"),
        category=values.get("category") or "",
        city=values.get("city") or "",
        query_terms=query_terms,
    )
    page = Paginator(cases, PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        (case, search.highlight(case.title, query_terms), search.snippet(case, query_terms))
        for case in page.object_list
    ]
    kept = {k: v for k, v in request.GET.items() if k in form.fields and v}
    context = {
        "form": form,
        "rows": rows,
        "page": page,
        "query": urlencode(kept),
        "searching": bool(query_terms or len(kept)),
        "collections": list(queries.ready_collections()),
    }
    return render(request, "cases/library.html", context)


@require_GET
def case_page(request, pk):
    case = get_object_or_404(Case.objects.select_related("organisation", "category", "city"), pk=pk)
    require(request, "cases.view_case", case)
    return render(
        request,
        "cases/case.html",
        {
            "case": case,
            "figures": list(case.figures.all()),
            "pictures": list(case.images.all()),
            "preview": not case.is_public,
        },
    )


@require_GET
def image(request, pk):
    """A picture, inline (it is shown in pages), only if its case may be seen by this user.

    Not `download_response`: that one forces a download; the type here is the one we wrote
    when redrawing the picture, never the uploader's."""
    picture = get_object_or_404(Image.objects.select_related("case"), pk=pk)
    require(request, "cases.view_image", picture.case)
    response = FileResponse(picture.file.open("rb"), content_type=picture.content_type)
    response["Content-Disposition"] = f'inline; filename="{picture.pk}{picture.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = (
        "private, max-age=300" if picture.case.is_public else "private, no-store"
    )
    return response


@require_GET
def collection_pdf(request, year):
    stored = Collection.objects.filter(year=year).first()
    if stored is not None and stored.has_file:
        response = FileResponse(
            stored.file.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{collection.title(year)}.pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
    has_cases = Case.objects.filter(state=Case.State.PUBLISHED, year=year).exists()
    if stored is None and not has_cases:
        raise Http404
    # Published cases but no file yet: the page says so (and asks the browser to retry).
    response = render(
        request,
        "cases/collection_pending.html",
        {"year": year, "collection": stored, "has_cases": has_cases},
        status=503 if has_cases else 404,
    )
    response["Retry-After"] = "30"
    return response
