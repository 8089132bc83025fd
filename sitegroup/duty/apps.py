from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "sitegroup.duty"
    label = "duty"
    verbose_name = "值班读网"
