"""The product's URLs plus ``POST /bench/insert``: the baseline that only inserts one row."""

from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from lokalsamfund.urls import urlpatterns as product_urlpatterns


@csrf_exempt
def insert_row(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_rows (payload) VALUES (%s) RETURNING id", [request.body])
        (row_id,) = cursor.fetchone()
    return JsonResponse({"id": row_id}, status=201)


urlpatterns = [path("bench/insert", insert_row), *product_urlpatterns]
