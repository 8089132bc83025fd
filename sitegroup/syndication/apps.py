from django.apps import AppConfig


class SyndicationConfig(AppConfig):
    name = "sitegroup.syndication"
    label = "syndication"
    verbose_name = "信息报送"

    def ready(self):
        from . import signals  # noqa: F401
