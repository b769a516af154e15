from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from keyprojects.calls import views as call_views
from keyprojects.core.health import healthz
from keyprojects.core.metrics import metrics
from keyprojects.orgs.extranet import LoginForm

urlpatterns = [
    path("", call_views.home, name="home"),
    path("calls/", include("keyprojects.calls.urls")),
    path("applicant/", include("keyprojects.applications.urls")),
    path("review/", include("keyprojects.review.urls")),
    path("selection/", include("keyprojects.selection.urls")),
    path("experts/", include("keyprojects.experts.urls")),
    path("scoring/", include("keyprojects.scoring.urls")),
    path("notices/", include("keyprojects.notices.urls")),
    path("cases/", include("keyprojects.cases.urls")),
    path("tracking/", include("keyprojects.tracking.urls")),
    path("stats/", include("keyprojects.stats.urls")),
    path("api/", include("keyprojects.api.urls")),
    path("notifications/", include("keyprojects.notifications.urls")),
    path("audit/", include("keyprojects.audit.urls")),
    path("exports/", include("keyprojects.documents.urls")),
    path("accounts/", include("keyprojects.orgs.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # The language switcher (templates/_language_switch.html) posts to set_language here.
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics, name="metrics"),
]
