from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "sites.disclosure"
    label = "disclosure"
    verbose_name = "政府信息公开"
