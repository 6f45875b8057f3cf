"""The rights and statistics pages (W2's branch). On merge, ``wellbeing/urls.py`` lists
``*rights.urlpatterns, *statistics.urlpatterns`` and this module goes."""

from .views import rights, statistics

app_name = "wellbeing"

urlpatterns = [*rights.urlpatterns, *statistics.urlpatterns]
