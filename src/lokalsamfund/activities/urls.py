from lokalsamfund.activities.views import calendar, organiser, participation, proposals, signups

app_name = "activities"

urlpatterns = [
    *calendar.urlpatterns,
    *organiser.urlpatterns,
    *proposals.urlpatterns,
    *signups.urlpatterns,
    *participation.urlpatterns,
]
