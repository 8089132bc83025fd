from django.apps import AppConfig


class FilingConfig(AppConfig):
    name = "sitegroup.filing"
    label = "filing"
    verbose_name = "网站备案"

    def ready(self):
        from . import signals  # noqa: F401
