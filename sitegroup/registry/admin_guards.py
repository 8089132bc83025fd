"""Admin URLs of Wagtail that answer without the checks a site group needs.

Each is mounted in ``sitegroup/urls.py`` on Wagtail's own path, ahead of the
admin URLconf; ``tests/registry/test_admin_guards.py`` fails if an upgrade moves
one, so a guard cannot silently lapse.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.pages.workflow import ConfirmWorkflowCancellationView
from wagtail.documents.views.multiple import CreateFromUploadedDocumentView
from wagtail.models import Page


def _no_error_test(request):
    # Wagtail's /admin/failwhale/ raises on purpose; no signed-in user needs to
    # fill the error log with it.
    raise Http404


class CheckedConfirmWorkflowCancellation(ConfirmWorkflowCancellationView):
    """Wagtail shows this modal (the page's workflow and stage) to anyone signed in."""

    def dispatch(self, request, *args, **kwargs):
        page = Page.objects.filter(pk=self.object.pk).first()
        if page is None or not page.specific_deferred.permissions_for_user(request.user).can_edit():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _post_only(view):
    # A GET builds the upload form around no file and crashes (500).
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        return view(request, *args, **kwargs)

    return wrapped


OVERRIDES = [
    ("failwhale/", require_admin_access(_no_error_test), "wagtailadmin_error_test"),
    (
        "pages/workflow/confirm_cancellation/<int:page_id>/",
        require_admin_access(CheckedConfirmWorkflowCancellation.as_view(model=Page, pk_url_kwarg="page_id")),
        "wagtailadmin_pages:confirm_workflow_cancellation",
    ),
    (
        "documents/multiple/create_from_uploaded_document/<int:uploaded_file_id>/",
        require_admin_access(_post_only(CreateFromUploadedDocumentView.as_view())),
        "wagtaildocs:create_multiple_from_uploaded_document",
    ),
]
