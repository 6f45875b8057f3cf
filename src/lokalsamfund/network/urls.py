from django.urls import path

from . import views, views_group_manage, views_groups, views_ideas

app_name = "network"

urlpatterns = [
    path("netvaerk/", views.index, name="index"),
    path("netvaerk/deling/", views.sharing, name="sharing"),
    path("netvaerk/deling/<slug:slug>/", views.share, name="share"),
    path("netvaerk/deltagelse/<slug:organisation>/", views.reach_share, name="reach_share"),
    path("netvaerk/ideer/", views_ideas.idea_list, name="ideas"),
    path("netvaerk/ideer/ny/", views_ideas.idea_new, name="idea_new"),
    path("netvaerk/ideer/<int:pk>/", views_ideas.idea_detail, name="idea"),
    path("netvaerk/afdeling/<slug:organisation>/<str:code>/", views.department, name="department"),
    path("netvaerk/grupper/", views_groups.group_list, name="groups"),
    path("netvaerk/grupper/ny/", views_groups.group_new, name="group_new"),
    path("netvaerk/grupper/<int:pk>/", views_groups.group_detail, name="group"),
    path("netvaerk/grupper/<int:pk>/deltag/", views_groups.group_join, name="group_join"),
    path("netvaerk/grupper/<int:pk>/forlad/", views_groups.group_leave, name="group_leave"),
    path("netvaerk/grupper/<int:pk>/inviter/", views_groups.group_invite, name="group_invite"),
    path(
        "netvaerk/grupper/<int:pk>/dokumenter/",
        views_groups.document_upload,
        name="document_upload",
    ),
    path("netvaerk/dokumenter/<int:pk>/", views_groups.document_download, name="document"),
    path(
        "netvaerk/grupper/<int:pk>/moeder/ny/",
        views_group_manage.meeting_new,
        name="meeting_new",
    ),
    path(
        "netvaerk/grupper/<int:pk>/kontakter/<int:member>/",
        views_group_manage.contact_set,
        name="contact_set",
    ),
    path(
        "netvaerk/dokumenter/<int:pk>/slet/",
        views_group_manage.document_delete,
        name="document_delete",
    ),
    path(
        "netvaerk/udviklingsdage/ny/",
        views_group_manage.development_day_new,
        name="development_day_new",
    ),
    path(
        "netvaerk/udviklingsdage/<int:pk>/",
        views_group_manage.development_day,
        name="development_day",
    ),
    path(
        "netvaerk/udviklingsdage/<int:pk>/program/",
        views_group_manage.session_new,
        name="session_new",
    ),
]
