from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "sitegroup.publishing"
    label = "publishing"
    verbose_name = "静态发布"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals  # noqa: F401
