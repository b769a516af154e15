from django.urls import path

from keyprojects.imports.routes import import_urls

from . import sso_views, views
from .imports import ORGANISATIONS

app_name = "orgs"
urlpatterns = [
    path("welcome/", views.after_login, name="after_login"),
    path("register/", views.register, name="register"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/<int:pk>/unlock/", views.unlock, name="unlock"),
    path("organisation/", views.organisation, name="organisation"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
    # import, import_template, import_report, import_confirm, import_progress, import_errors
    *import_urls(ORGANISATIONS, "organisations/import/"),
    # Single sign-on with the province's identity provider; 404 while not configured.
    path("sso/login/", sso_views.sso_login, name="sso_login"),
    path("sso/callback/", sso_views.sso_callback, name="sso_callback"),
]
