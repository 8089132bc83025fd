from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "sites.disclosure"
    label = "disclosure"
    verbose_name = "政府信息公开"

    def ready(self):
        from . import purge, timeliness  # noqa: F401  (signal receivers)
