from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "sitesearch"
    verbose_name = "站群检索"

    def ready(self):
        from . import signals  # noqa: F401
