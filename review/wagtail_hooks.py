from django.http import Http404
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from sitegroup.registry.roles import is_group_office

from . import release, views, wordlist_admin
from .models import MediaKind, ResponsibilityStatement, ReviewPolicy, StageAssignment, WordList
from .services import STATEMENT, delete_policy, save_policy


@hooks.register("register_admin_urls")
def review_urls():
    return [
        path("review/findings/<int:page_id>/", views.findings, name="review_findings"),
        path("review/accountability/<int:page_id>/", views.accountability, name="review_accountability"),
        path("review/withdraw/<int:page_id>/", views.withdraw_view, name="review_withdraw"),
        path("review/withdrawals/", views.withdrawals, name="review_withdrawals"),
    ]


register_permission_policy(WordList, wordlist_admin.policy)


class WordListViewSet(ModelViewSet):
    model = WordList
    icon = "warning"
    menu_label = "敏感词库"
    form_fields = ["name", "site", "active"]
    list_display = ["name", "site", "active", "updated_at"]
    copy_view_enabled = False
    index_view_class = wordlist_admin.IndexView
    edit_view_class = wordlist_admin.EditView
    delete_view_class = wordlist_admin.DeleteView
    history_view_class = wordlist_admin.HistoryView
    usage_view_class = wordlist_admin.UsageView

    def get_edit_handler(self):
        from wagtail.admin.panels import ObjectList

        return ObjectList(WordList.panels, base_form_class=wordlist_admin.WordListForm).bind_to_model(WordList)


class ReviewPolicyCreateView(generic.CreateView):
    def save_instance(self):
        return save_policy(self.form.save(commit=False), self.request.user)


class ReviewPolicyEditView(generic.EditView):
    def save_instance(self):
        return save_policy(self.form.save(commit=False), self.request.user)


class ReviewPolicyDeleteView(generic.DeleteView):
    def delete_action(self):
        delete_policy(self.object, self.request.user)


class ReviewPolicyViewSet(ModelViewSet):
    """Changing the stages re-attaches the site's workflows in the same request."""

    model = ReviewPolicy
    add_view_class = ReviewPolicyCreateView
    edit_view_class = ReviewPolicyEditView
    delete_view_class = ReviewPolicyDeleteView
    icon = "tasks"
    menu_label = "审核流程设置"
    form_fields = ["site", "column", "stages"]
    list_display = ["site", "column", "stages"]


class StageAssignmentViewSet(ModelViewSet):
    """Per site: which role acts on 初审, 复审 and 终审 (the group office decides)."""

    model = StageAssignment
    icon = "group"
    menu_label = "审核环节分工"
    form_fields = ["site", "first_role", "second_role", "final_role"]
    list_display = ["site", "first_role", "second_role", "final_role"]
    copy_view_enabled = False


class ReviewGroup(ViewSetGroup):
    menu_label = "保密审查"
    menu_icon = "warning"
    menu_order = 160
    items = (WordListViewSet, ReviewPolicyViewSet, StageAssignmentViewSet)


@hooks.register("register_admin_viewset")
def register_review_viewsets():
    return ReviewGroup()


@hooks.register("register_reports_menu_item")
def withdrawals_menu_item():
    class OfficeOnlyMenuItem(MenuItem):
        def is_shown(self, request):
            return is_group_office(request.user)

    return OfficeOnlyMenuItem("撤稿记录", reverse("review_withdrawals"), icon_name="warning", order=900)


@hooks.register("register_page_header_buttons")
def review_header_buttons(page, user, view_name, next_url=None):
    yield PageMenuItem("保密审查结果", reverse("review_findings", args=[page.pk]), "warning", 80, page=page)
    yield PageMenuItem("谁上网，谁负责", reverse("review_accountability", args=[page.pk]), "doc-full", 81, page=page)
    if page.live and is_group_office(user):
        yield PageMenuItem("撤稿", reverse("review_withdraw", args=[page.pk]), "warning", 82, page=page)


def _record_statement(request, page):
    if "action-submit" not in request.POST or not request.POST.get("responsibility_confirmed"):
        return
    revision = page.get_latest_revision()
    if revision is None:
        return
    ResponsibilityStatement.objects.get_or_create(
        page=page, revision=revision, defaults={"user": request.user, "text": STATEMENT}
    )
    _screen_on_submit(request, page, revision)


def _screen_on_submit(request, page, revision):
    """Screen at submission too, so the submitter hears about problems first."""
    from .screening import BLOCK
    from .services import screen_revision

    try:
        findings = screen_revision(revision)
    except Exception:  # noqa: BLE001 - the final stage screens again and blocks on failure
        messages.warning(request, "自动审查暂时无法完成，终审时将重新审查。")
        return
    if findings:
        blocking = sum(1 for f in findings if f.level == BLOCK)
        url = reverse("review_findings", args=[page.pk])
        messages.warning(
            request,
            f"自动审查发现 {len(findings)} 项问题（其中阻断 {blocking} 项），终审前须处理。",
            buttons=[messages.button(url, "查看审查结果")],
        )


@hooks.register("before_serve_document")
def serve_only_released_documents(document, request):
    """Wagtail's document view would serve any upload at once; the public gets
    only files of reviewed, live pages (staff of the collection still may)."""
    if not release.may_serve(request, MediaKind.DOCUMENT, document):
        raise Http404("该文件不存在或尚未发布。")


hooks.register("after_create_page", _record_statement)
hooks.register("after_edit_page", _record_statement)
