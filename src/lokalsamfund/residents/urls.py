from django.urls import path

from .views import activation, staff

app_name = "residents"

urlpatterns = [
    # Residents (public).
    path("aktiver/", activation.activate, name="activate"),
    path("aktiver/konto/", activation.activate_account, name="activate_account"),
    # Staff.
    path("beboere/", staff.index, name="tenancies"),
    path("beboere/<slug:slug>/", staff.tenancy_list, name="tenancies_of"),
    path("beboere/<slug:slug>/import/", staff.import_upload, name="import"),
    path("beboere/<slug:slug>/import/format/", staff.import_format, name="import_format"),
    path(
        "beboere/<slug:slug>/import/skabelon.<str:kind>",
        staff.import_template,
        name="import_template",
    ),
    path("beboere/<slug:slug>/import/bekraeft/", staff.import_confirm, name="import_confirm"),
    path("beboere/<slug:slug>/breve/", staff.letters, name="letters"),
    path("beboere/<slug:slug>/inviter/", staff.invite, name="invite"),
    path("beboere/<slug:slug>/lejemaal/<int:pk>/fraflytning/", staff.move_out, name="move_out"),
]
