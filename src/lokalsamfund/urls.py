from django.contrib import admin
from django.urls import include, path

from lokalsamfund.api.api import api

admin.site.site_header = "lokalsamfund"
admin.site.site_title = "lokalsamfund"

urlpatterns = [
    path("", include("lokalsamfund.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("backoffice/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("lokalsamfund.surveys.urls")),
    path("", include("lokalsamfund.bookings.urls")),
    path("", include("lokalsamfund.decisions.urls")),
    path("", include("lokalsamfund.activities.urls")),
    path("", include("lokalsamfund.green.urls")),
    path("", include("lokalsamfund.residents.urls")),
    path("", include("lokalsamfund.wellbeing.urls")),
    path("", include("lokalsamfund.network.urls")),
]

handler403 = "lokalsamfund.core.views.error_403"
handler404 = "lokalsamfund.core.views.error_404"
handler500 = "lokalsamfund.core.views.error_500"
