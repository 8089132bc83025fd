from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "上网信息审查"
