"""The tool shed's pages, included in the green groups' URLs (namespace ``green``)."""

from django.urls import path

from . import views

urlpatterns = [
    path("groenne/<int:pk>/redskaber/", views.shed, name="shed"),
    path("groenne/<int:pk>/redskaber/drift/", views.shed_running, name="shed_running"),
    path("groenne/redskaber/mine-laan/", views.my_loans, name="my_loans"),
]
