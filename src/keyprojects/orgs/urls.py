from django.urls import path

from . import views

app_name = "orgs"
urlpatterns = [
    path("welcome/", views.after_login, name="after_login"),
    path("register/", views.register, name="register"),
    path("lockouts/", views.lockouts, name="lockouts"),
    path("lockouts/<int:pk>/unlock/", views.unlock, name="unlock"),
    path("organisation/", views.organisation, name="organisation"),
    path("invitations/<str:token>/", views.accept_invitation, name="accept_invitation"),
]
