from django.apps import AppConfig


class FreshnessConfig(AppConfig):
    name = "sitegroup.freshness"
    label = "freshness"
    verbose_name = "栏目更新监测"
