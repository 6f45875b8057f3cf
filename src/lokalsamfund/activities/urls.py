from lokalsamfund.activities.views import calendar, participation, signups

app_name = "activities"

urlpatterns = [*calendar.urlpatterns, *signups.urlpatterns, *participation.urlpatterns]
