"""The yearly collection (年度典型案例汇编): every published case of a year in one PDF.

Laying out dozens of cases with their pictures takes seconds, so it happens in a background
task (tasks.py) whenever a case of that year is published or taken down; the public is
served the stored file. Each request bumps `Collection.generation`; a rendering stores its
file only if no newer request came meanwhile, so the newest content always wins. When a
case is taken down, the stored file (which still contains it) is withdrawn at once: the
public would rather wait for a new file than keep reading what was withdrawn.
"""

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch

from keyprojects.core.clock import china_time, now
from keyprojects.documents.pdf import render_pdf

from . import images, tasks
from .models import Case, Collection, Image

IMAGE_SCHEME = "case-image:"


def request(year: int, *, withdrawn: bool = False) -> Collection:
    """Ask for a fresh PDF of `year`, inside the caller's transaction (the task exists
    exactly when the change that needs it was committed)."""
    with transaction.atomic():
        collection, _created = Collection.objects.select_for_update().get_or_create(year=year)
        collection.generation += 1
        collection.state = Collection.State.PENDING
        collection.requested_at = now()
        if withdrawn and collection.file:
            _delete_on_commit(collection.file.name)
            collection.file = ""
        collection.save()
        tasks.render_collection.enqueue(year, collection.generation)
    return collection


def _delete_on_commit(name):
    storage = Collection._meta.get_field("file").storage
    transaction.on_commit(lambda: storage.delete(name))


def published_cases(year: int):
    return (
        Case.objects.filter(state=Case.State.PUBLISHED, year=year)
        .select_related("organisation", "category", "city")
        .prefetch_related("figures", Prefetch("images", queryset=Image.objects.order_by("order")))
        .order_by("category__order", "published_at", "pk")
    )


def _pictures(pictures: dict):
    """The cases' own pictures, by their URL in the template (nothing else is fetched)."""

    def serve(url):
        if not url.startswith(IMAGE_SCHEME):
            return None
        picture = pictures.get(url.removeprefix(IMAGE_SCHEME))
        if picture is None:
            raise ValueError(f"unknown picture {url}")
        with picture.file.open("rb") as stored:
            return images.for_print(stored.read())

    return serve


def title(year: int) -> str:
    return f"{year}年智慧江苏重点工程典型案例和解决方案汇编"


def render(year: int, cases: list) -> bytes:
    pictures = {str(p.pk): p for case in cases for p in case.images.all()}
    return render_pdf(
        "cases/collection_pdf.html",
        {
            "title": title(year),
            "year": year,
            "cases": cases,
            "generated_at": china_time(now()),
            "scheme": IMAGE_SCHEME,
        },
        resources=_pictures(pictures),
    )


def render_and_store(year: int, generation: int) -> str:
    """Render the year's collection for request `generation`; store it only if no newer
    request came meanwhile. Returns the outcome: "superseded", or the collection's state."""
    if Collection.objects.get(year=year).generation != generation:
        return "superseded"  # a newer request has its own task
    cases = list(published_cases(year))
    data = render(year, cases) if cases else None  # outside the lock: it takes seconds
    with transaction.atomic():
        stored = Collection.objects.select_for_update().get(year=year)
        if stored.generation != generation:
            return "superseded"
        if stored.file:
            _delete_on_commit(stored.file.name)
        if data is None:
            stored.file = ""
        else:
            stored.file.save(f"{year}.pdf", ContentFile(data), save=False)
        stored.state = Collection.State.READY
        stored.case_count = len(cases)
        stored.rendered_at = now()
        stored.save()
    return stored.state


def mark_failed(year: int, generation: int) -> None:
    """A failed rendering shows as failed, unless a newer request is already on its way."""
    Collection.objects.filter(year=year, generation=generation).update(
        state=Collection.State.FAILED
    )
