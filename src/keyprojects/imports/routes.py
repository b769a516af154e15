"""The URLs of an importer's pages, mounted by its app under the app's own prefix, e.g.
`*import_urls(ORGANISATIONS, "organisations/import/")` in orgs/urls.py gives orgs:import,
orgs:import_template, orgs:import_report, orgs:import_confirm, orgs:import_progress and
orgs:import_errors."""

from django.urls import path

from . import views


def import_urls(importer, route: str) -> list:
    name = importer.url_name.partition(":")[2]
    key = {"key": importer.key}
    return [
        path(route, views.upload, key, name=name),
        path(f"{route}template.xlsx", views.template, key, name=f"{name}_template"),
        path(f"{route}<uuid:pk>/", views.report, key, name=f"{name}_report"),
        path(f"{route}<uuid:pk>/confirm/", views.confirm, key, name=f"{name}_confirm"),
        path(f"{route}<uuid:pk>/progress/", views.progress, key, name=f"{name}_progress"),
        path(f"{route}<uuid:pk>/errors.xlsx", views.error_rows, key, name=f"{name}_errors"),
    ]
