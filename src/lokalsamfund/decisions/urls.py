from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("beslutninger/", views.plan_list, name="plans"),
    path("beslutninger/ny/", views.plan_new, name="plan_new"),
    path("beslutninger/sammenlign/", views.plan_compare, name="plan_compare"),
    path("beslutninger/planer/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("beslutninger/planer/<int:plan_id>/rapport.pdf", views.plan_pdf, name="plan_pdf"),
    path("beslutninger/planer/<int:plan_id>/plan.json", views.plan_json, name="plan_json"),
    path("beslutninger/planer/<int:plan_id>/slet/", views.plan_delete, name="plan_delete"),
    path("beslutninger/katalog/", views.catalogue, name="catalogue"),
    path("beslutninger/katalog/ny/", views.activity_edit, name="activity_new"),
    path("beslutninger/katalog/<slug:slug>/", views.activity_edit, name="activity_edit"),
    path("beslutninger/katalog/<slug:slug>/nulstil/", views.activity_reset, name="activity_reset"),
    path("beslutninger/parametre/", views.parameters, name="parameters"),
    path(
        "beslutninger/parametre/<slug:key>/nulstil/", views.parameter_reset, name="parameter_reset"
    ),
    path("beslutninger/vaerdibank/", views.value_bank_import, name="value_bank_import"),
    path("beslutninger/vaerdibank/brug/", views.value_bank_use, name="value_bank_use"),
]
