from django.urls import path

from . import views, views_ideas

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
]
