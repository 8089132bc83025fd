from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "sitegroup.inspection"
    label = "inspection"
    verbose_name = "网上巡查"
