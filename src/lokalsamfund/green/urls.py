from django.urls import path

from . import views, views_work

app_name = "green"

urlpatterns = [
    path("groenne/", views.group_list, name="groups"),
    path("groenne/<int:pk>/", views.group_detail, name="group"),
    path("groenne/<int:pk>/meld-ind/", views.join, name="join"),
    path("groenne/<int:pk>/meld-ud/", views.leave, name="leave"),
    path("groenne/<int:pk>/ansoeg/", views.apply, name="apply"),
    path("groenne/<int:pk>/min-plads/", views.my_place, name="my_place"),
    path("groenne/<int:pk>/fordeling/", views.allocation_page, name="allocation"),
    *views_work.urlpatterns,
]
