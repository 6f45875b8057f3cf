"""The product's URLs plus ``POST /bench/api/insert``: the baseline that only inserts one row.

The baseline goes through the same stack as ``POST /api/v1/bookings`` up to the domain: the
same WSGI application and middleware, a django-ninja API with the product's bearer-token
authentication and error handlers, and the same request schema (``BookingIn``), so its JSON
body is parsed and validated the same way. Then, instead of the booking service, it inserts
one row. The throughput ratio booking/baseline is thus the cost of the booking logic itself.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404, HttpRequest
from django.urls import path
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from lokalsamfund.api.api import (
    on_domain_error,
    on_http_error,
    on_not_found,
    on_permission_denied,
    on_unauthenticated,
    on_validation_error,
)
from lokalsamfund.api.auth import BearerToken
from lokalsamfund.api.bookings import BookingIn
from lokalsamfund.core.errors import DomainError
from lokalsamfund.urls import urlpatterns as product_urlpatterns

bench_api = NinjaAPI(
    title="booking benchmark baseline", version="bench", auth=BearerToken(), urls_namespace="bench"
)
# The product API's error handlers, for the same exceptions.
for exc_class, handler in (
    (ValidationError, on_validation_error),
    (DomainError, on_domain_error),
    (PermissionDenied, on_permission_denied),
    (Http404, on_not_found),
    (AuthenticationError, on_unauthenticated),
    (HttpError, on_http_error),
):
    bench_api.add_exception_handler(exc_class, handler)


class InsertedOut(Schema):
    id: int


@bench_api.post("/insert", response={201: InsertedOut})
def insert_row(request: HttpRequest, payload: BookingIn) -> Status:
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_rows (payload) VALUES (%s) RETURNING id",
            [payload.model_dump_json().encode()],
        )
        (row_id,) = cursor.fetchone()
    return Status(201, InsertedOut(id=row_id))


urlpatterns = [path("bench/api/", bench_api.urls), *product_urlpatterns]
