from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "lokalsamfund.api"
    label = "api"
    verbose_name = "API"
