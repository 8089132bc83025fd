from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "review"
    verbose_name = "上网信息审查"

    def ready(self):
        from . import sanitise, signals  # noqa: F401
        from .models import SecrecyReviewTask
        from .services import refuse_blocked_approval

        SecrecyReviewTask.approval_gate = staticmethod(refuse_blocked_approval)
