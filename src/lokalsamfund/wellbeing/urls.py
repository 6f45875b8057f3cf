from lokalsamfund.wellbeing.views import referrals, rights, statistics

app_name = "wellbeing"

urlpatterns = [*referrals.urlpatterns, *rights.urlpatterns, *statistics.urlpatterns]
