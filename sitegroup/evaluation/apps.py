from django.apps import AppConfig


class EvaluationConfig(AppConfig):
    name = "sitegroup.evaluation"
    label = "evaluation"
    verbose_name = "绩效评估"
