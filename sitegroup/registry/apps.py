from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "sitegroup.registry"
    label = "registry"
    verbose_name = "站点登记与备案"

    def ready(self):
        from . import admin_scoping, checks, signals  # noqa: F401

        admin_scoping.install()
