from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_invitations, views_jobs

urlpatterns = [
    path("", views.home, name="home"),
    path("tilgaengelighed/", views.accessibility_statement, name="accessibility"),
    path("privatliv/", views.privacy_notice, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("invitation/", views_invitations.resume, name="invitation_resume"),
    path("invitation/<str:token>/", views_invitations.accept, name="invitation_accept"),
    path("job/<uuid:job_id>/", views_jobs.job_status, name="job"),
    path("job/<uuid:job_id>/hent/", views_jobs.job_download, name="job_download"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
