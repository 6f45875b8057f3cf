from django.urls import include, path

from .views import allocation, manage, results, work, work_manage

app_name = "green"

urlpatterns = [
    path("groenne/", allocation.group_list, name="groups"),
    path("groenne/ny/", manage.group_create, name="group_create"),
    path("groenne/<int:pk>/", allocation.group_detail, name="group"),
    path("groenne/<int:pk>/rediger/", manage.group_edit, name="group_edit"),
    path("groenne/<int:pk>/bede/", manage.plots, name="plots"),
    path("groenne/<int:pk>/bede/<int:plot_pk>/", manage.plots, name="plot_edit"),
    path("groenne/<int:pk>/situationsplan/", manage.site_plan_image, name="site_plan"),
    path("groenne/<int:pk>/aktiviteter/", manage.activities, name="activities"),
    path("groenne/<int:pk>/nyheder/", manage.news, name="news"),
    path("groenne/<int:pk>/meld-ind/", allocation.join, name="join"),
    path("groenne/<int:pk>/meld-ud/", allocation.leave, name="leave"),
    path("groenne/<int:pk>/ansoeg/", allocation.apply, name="apply"),
    path("groenne/<int:pk>/min-plads/", allocation.my_place, name="my_place"),
    path("groenne/<int:pk>/fordeling/", allocation.allocation_page, name="allocation"),
    path("groenne/<int:pk>/saesonplan/", results.season_plan, name="season_plan"),
    path("groenne/<int:pk>/log/", results.log, name="log"),
    path("groenne/<int:pk>/log/<int:entry_pk>/slet/", results.log_delete, name="log_delete"),
    path("groenne/foto/<int:photo_pk>/", results.photo, name="photo"),
    path("groenne/<int:pk>/aarsoversigt/<int:year>/", results.summary, name="summary"),
    path("groenne/<int:pk>/aarsoversigt/<int:year>.pdf", results.summary_pdf, name="summary_pdf"),
    path("", include("lokalsamfund.green.toolshed.urls")),
    *work.urlpatterns,
    *work_manage.urlpatterns,
]
