from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "sitegroup.notices"
    label = "notices"
    verbose_name = "督办提醒"
