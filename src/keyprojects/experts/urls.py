from django.urls import path

from keyprojects.imports.routes import import_urls

from . import expert_views, views
from .imports import POOL

app_name = "experts"
urlpatterns = [
    # The expert's own pages.
    path("", expert_views.home, name="home"),
    path("conflicts/", expert_views.declarations, name="declarations"),
    # The second factor (any signed-in user; required of experts).
    path("second-factor/setup/", expert_views.setup, name="setup"),
    path("second-factor/verify/", expert_views.verify, name="verify"),
    # The provincial office.
    path("pool/", views.pool_list, name="pool"),
    # import, import_template, import_report, import_confirm, import_progress, import_errors
    *import_urls(POOL, "pool/import/"),
    path("pool/<uuid:pk>/", views.expert_detail, name="expert"),
    path("pool/<uuid:pk>/conflicts/", views.office_declare, name="office_declare"),
    path(
        "pool/<uuid:pk>/reset-second-factor/",
        views.reset_second_factor,
        name="reset_second_factor",
    ),
    path("calls/<slug:slug>/plan/", views.plan, name="plan"),
    path("calls/<slug:slug>/assignment/", views.assignment_page, name="assignment"),
    path("calls/<slug:slug>/assignment/run/", views.run_assignment, name="run_assignment"),
    path(
        "applications/<uuid:pk>/assignments/",
        views.application_assignments,
        name="application",
    ),
    path("assignments/<uuid:pk>/remove/", views.remove_assignment, name="remove_assignment"),
]
