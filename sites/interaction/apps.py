from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "sites.interaction"
    label = "interaction"
    verbose_name = "政民互动"

    def ready(self):
        from . import answers, links  # noqa: F401  (signal receivers)
