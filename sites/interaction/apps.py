from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "sites.interaction"
    label = "interaction"
    verbose_name = "政民互动"

    def ready(self):
        from . import answers  # noqa: F401  (a reply page going live answers its message)
