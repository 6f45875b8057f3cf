from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("netvaerk/", views.index, name="index"),
    path("netvaerk/deling/", views.sharing, name="sharing"),
    path("netvaerk/deling/<slug:slug>/", views.share, name="share"),
    path("netvaerk/afdeling/<slug:organisation>/<str:code>/", views.department, name="department"),
]
