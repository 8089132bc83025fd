from django.apps import AppConfig


class SitesConfig(AppConfig):
    name = "sites"
    verbose_name = "站点页面"

    def ready(self):
        from . import cache  # noqa: F401  (connects purge signals)
