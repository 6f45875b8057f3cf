from django.urls import path

from .views import account, booking, calendar, guests, joins, public, staff

app_name = "bookings"

urlpatterns = [
    path("facilities/", public.facility_list, name="facilities"),
    path("facilities/<slug:slug>/", public.facility_detail, name="facility"),
    path("facilities/<slug:slug>/month/", calendar.facility_month, name="month"),
    path("facilities/<slug:slug>/day/<str:day>/", calendar.facility_day, name="day"),
    path("facilities/<slug:slug>/rules/", public.facility_rules, name="rules"),
    path("facilities/<slug:slug>/calendar.ics", public.facility_feed, name="feed"),
    path("facilities/<slug:slug>/book/", booking.book, name="book"),
    path("facilities/<slug:slug>/handover/", staff.handover, name="handover"),
    path("facilities/<slug:slug>/handover.pdf", staff.handover_pdf, name="handover_pdf"),
    path("facilities/<slug:slug>/register/", guests.register, name="register"),
    path("facilities/<slug:slug>/account/", account.account, name="account"),
    path(
        "facilities/<slug:slug>/account/<int:year>.<str:fmt>",
        account.account_export,
        name="account_export",
    ),
    path("bookings/", booking.my_bookings, name="mine"),
    path("bookings/requests/", booking.pending, name="pending"),
    path("bookings/series/<int:pk>/", staff.series_decide, name="series_decide"),
    path("bookings/feed/<str:key>.ics", booking.private_feed, name="private_feed"),
    path("bookings/verify/resend/", guests.resend_verification, name="resend_verification"),
    path("bookings/verify/<str:token>/", guests.verify, name="verify"),
    path("bookings/association-requests/", joins.join_requests, name="join_requests"),
    path(
        "bookings/association-requests/<int:pk>/confirm/",
        joins.join_request_confirm,
        name="join_request_confirm",
    ),
    path(
        "bookings/association-requests/<int:pk>/decline/",
        joins.join_request_decline,
        name="join_request_decline",
    ),
    path("bookings/<int:pk>/", booking.booking_detail, name="detail"),
    path("bookings/<int:pk>/edit/", booking.booking_edit, name="edit"),
    path("bookings/<int:pk>/cancel/", booking.booking_cancel, name="cancel"),
    path("bookings/<int:pk>/approve/", booking.booking_approve, name="approve"),
    path("bookings/<int:pk>/reject/", booking.booking_reject, name="reject"),
    path("bookings/<int:pk>/budget/", booking.booking_budget_sent, name="budget"),
]
