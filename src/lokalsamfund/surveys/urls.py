from django.urls import path

from .views import form, links, results, staff

app_name = "surveys"

urlpatterns = [
    # The residents' form (public).
    path("s/", form.start, name="form_start"),
    path("s/k/<str:answer_code>/", form.start_with_code, name="form_code"),
    path("s/l/<str:token>/", form.start_with_link, name="form_link"),
    path("s/start/", form.intro, name="form_intro"),
    path("s/trin/<int:number>/", form.step, name="form_step"),
    path("s/oversigt/", form.review, name="form_review"),
    path("s/tak/", form.thanks, name="form_thanks"),
    # Staff.
    path("undersoegelser/", staff.round_list, name="rounds"),
    path("undersoegelser/ny/", staff.round_new, name="round_new"),
    path("undersoegelser/<slug:slug>/", staff.round_detail, name="round"),
    path("undersoegelser/<slug:slug>/status/", staff.round_status, name="round_status"),
    path("undersoegelser/<slug:slug>/luk/", staff.round_close, name="round_close"),
    path("undersoegelser/<slug:slug>/links/<str:code>/", links.link_switch, name="link_switch"),
    path("undersoegelser/<slug:slug>/links/<str:code>/qr.svg", links.link_qr, name="link_qr"),
    path("undersoegelser/<slug:slug>/breve/", staff.letters, name="letters"),
    path("undersoegelser/<slug:slug>/papir/", staff.paper_entry, name="paper"),
    path("undersoegelser/<slug:slug>/import/", staff.import_upload, name="import"),
    path("undersoegelser/<slug:slug>/import/format/", staff.import_format, name="import_format"),
    path(
        "undersoegelser/<slug:slug>/import/skabelon.<str:kind>",
        staff.import_template,
        name="import_template",
    ),
    # Results.
    path("undersoegelser/<slug:slug>/resultater/", results.overview, name="results"),
    path(
        "undersoegelser/<slug:slug>/resultater/<str:code>/",
        results.department,
        name="department_results",
    ),
    path(
        "undersoegelser/<slug:slug>/opsummering/<str:code>/",
        results.summary,
        name="summary",
    ),
    path("undersoegelser/<slug:slug>/resultater.xlsx", results.export_xlsx, name="export_xlsx"),
    path("undersoegelser/<slug:slug>/kommentarer/", results.comments, name="comments"),
]
