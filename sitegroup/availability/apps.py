from django.apps import AppConfig


class AvailabilityConfig(AppConfig):
    name = "sitegroup.availability"
    label = "availability"
    verbose_name = "可用性监测"
