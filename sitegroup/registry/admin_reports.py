"""Wagtail's reports, with filter choices limited to what the user may see.

Wagtail scopes the rows of its site-history and workflow reports, but fills the
filters from the whole install: every user who ever acted, every workflow and
task. In a site group that shows a county editor the usernames of the city's
staff. These views are mounted in ``sitegroup/urls.py`` on Wagtail's own report
paths, ahead of the admin's URLconf; ``tests/registry/test_admin_reports.py``
fails if a Wagtail upgrade moves those paths, so the override cannot silently
lapse.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.audit_logging import (
    LogEntriesView,
    SiteHistoryReportFilterSet,
    get_users_for_filter,
)
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
    get_editable_page_ids_query,
)
from wagtail.models import Task, Workflow, WorkflowState


class ScopedSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    def get_users_queryset(self):
        # Users behind the log entries this user may read, not behind every entry.
        return get_users_for_filter(self.request.user)


def _visible_states(request):
    return WorkflowState.objects.filter(object_id__in=get_editable_page_ids_query(request))


def _visible_workflows(request):
    return Workflow.objects.filter(
        Q(active=True) | Q(pk__in=_visible_states(request).values("workflow_id"))
    ).distinct()


class ScopedWorkflowFilterSet(WorkflowReportFilterSet):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        User = get_user_model()
        self.filters["requested_by"].queryset = User.objects.filter(
            pk__in=_visible_states(request).values("requested_by_id")
        ).order_by(User.USERNAME_FIELD)
        self.filters["workflow"].queryset = _visible_workflows(request)


class ScopedWorkflowTasksFilterSet(WorkflowTasksReportFilterSet):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        workflows = _visible_workflows(request)
        self.filters["workflow"].queryset = workflows
        self.filters["task"].queryset = Task.objects.filter(workflow_tasks__workflow__in=workflows).distinct()


class ScopedLogEntriesView(LogEntriesView):
    filterset_class = ScopedSiteHistoryFilterSet


class ScopedWorkflowView(WorkflowView):
    filterset_class = ScopedWorkflowFilterSet


class ScopedWorkflowTasksView(WorkflowTasksView):
    filterset_class = ScopedWorkflowTasksFilterSet


def _view(cls, **kwargs):
    return require_admin_access(cls.as_view(**kwargs))


# (path under /admin/, view) in the order of Wagtail's reports URLconf.
OVERRIDES = [
    ("reports/site-history/", _view(ScopedLogEntriesView), "wagtailadmin_reports:site_history"),
    ("reports/site-history/results/", _view(ScopedLogEntriesView, results_only=True),
     "wagtailadmin_reports:site_history_results"),
    ("reports/workflow/", _view(ScopedWorkflowView), "wagtailadmin_reports:workflow"),
    ("reports/workflow/results/", _view(ScopedWorkflowView, results_only=True),
     "wagtailadmin_reports:workflow_results"),
    ("reports/workflow_tasks/", _view(ScopedWorkflowTasksView), "wagtailadmin_reports:workflow_tasks"),
    ("reports/workflow_tasks/results/", _view(ScopedWorkflowTasksView, results_only=True),
     "wagtailadmin_reports:workflow_tasks_results"),
]
