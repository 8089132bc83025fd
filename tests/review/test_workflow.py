"""The review workflow, driven over HTTP as each role."""

from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Page, WorkflowPage

from review.models import LedgerEntry, ResponsibilityStatement, SecrecyReviewTask
from tests.factories import make_site, make_user
from tests.helpers import refused
from tests.review.conftest import act, submit


def live(page):
    return Page.objects.get(pk=page.pk).live


def test_every_site_gets_the_review_workflow(county):
    link = WorkflowPage.objects.get(page=county.site.root_page)
    tasks = [t.specific for t in link.workflow.tasks]
    assert [t.name for t in tasks] == ["初审", "终审"]
    assert all(isinstance(t, SecrecyReviewTask) for t in tasks)
    assert tasks[-1].final_stage and not tasks[0].final_stage
    assert [t.stage for t in tasks] == ["first", "final"]


def test_submitting_requires_the_statement_and_keeps_the_content(client, draft, people):
    response = submit(client, people["editor"], draft, "<p>未签声明的稿件。</p>", confirm=False)
    assert response.status_code == 200
    html = response.content.decode()
    assert "请勾选保密审查责任声明" in html
    # Nothing the editor typed is lost: the editor comes back holding it
    # (as double-escaped JSON inside the editor's data attribute).
    assert "\\\\u672a\\\\u7b7e\\\\u58f0\\\\u660e" in html
    assert "未签声明的稿件" in str(response.context["form"]["body"].value())
    draft = type(draft).objects.get(pk=draft.pk)
    assert draft.current_workflow_state is None


def test_full_review_publishes_and_records_who_answers(client, draft, people):
    assert submit(client, people["editor"], draft).status_code == 302
    draft = type(draft).objects.get(pk=draft.pk)
    statement = ResponsibilityStatement.objects.get(page=draft)
    assert statement.user == people["editor"] and statement.revision == draft.get_latest_revision()

    # The submitter can never approve; the server refuses even a forced POST.
    assert refused(act(client, people["editor"], draft))
    assert draft.current_workflow_task.name == "初审"

    assert act(client, people["reviewer"], draft).status_code == 302
    draft = type(draft).objects.get(pk=draft.pk)
    assert draft.current_workflow_task.name == "终审"
    assert act(client, people["reviewer2"], draft).status_code == 302
    assert live(draft)

    actions = list(LedgerEntry.objects.filter(page_id_ref=draft.pk).values_list("action", flat=True))
    assert actions[:1] == ["submit"] and actions.count("approve") == 2 and "publish" in actions
    call_command("verify_ledger")

    report = client.get(f"/admin/review/accountability/{draft.pk}/").content.decode()
    assert "xs_editor" in report and "xs_reviewer" in report and "xs_reviewer2" in report


def test_reviewer_who_edited_cannot_approve(client, draft, people):
    submit(client, people["reviewer"], draft)  # the reviewer wrote and submitted it
    assert refused(act(client, people["reviewer"], draft))
    draft = type(draft).objects.get(pk=draft.pk)
    assert draft.current_workflow_task.name == "初审"


def test_reviewer_of_another_site_has_no_power(client, draft, people):
    other = make_site("county", name="武宁县", code="wuning", hostname="wuning.localhost")
    outsider = make_user("wn_reviewer", other, "reviewer")
    submit(client, people["editor"], draft)
    response = act(client, outsider, draft)
    assert refused(response)
    draft = type(draft).objects.get(pk=draft.pk)
    assert draft.current_workflow_task.name == "初审"
    assert refused(client.get(f"/admin/review/findings/{draft.pk}/"))


def test_block_finding_stops_final_approval_until_overridden(client, draft, people):
    submit(client, people["editor"], draft, "<p>联系人身份证号 11010519491231002X。</p>")
    act(client, people["reviewer"], draft)
    response = act(client, people["reviewer2"], draft)
    assert response.status_code == 302 and "/review/findings/" in response["Location"]
    assert not live(draft)
    assert LedgerEntry.objects.filter(action="approve_refused").exists()

    findings = client.get(f"/admin/review/findings/{draft.pk}/").content.decode()
    assert "身份证号" in findings and "11010519491231002X" not in findings
    import re

    key = re.search(r'name="finding" value="([0-9a-f]+)"', findings).group(1)
    # An override needs a reason.
    client.post(f"/admin/review/findings/{draft.pk}/", {"finding": key, "reason": "  "})
    act(client, people["reviewer2"], draft)
    assert not live(draft)
    client.post(f"/admin/review/findings/{draft.pk}/", {"finding": key, "reason": "为公开的示例号码，非真实个人信息"})
    act(client, people["reviewer2"], draft)
    assert live(draft)
    assert LedgerEntry.objects.filter(action="override").exists()


def test_warning_needs_acknowledgement(client, draft, people):
    submit(client, people["editor"], draft, "<p>请注意保密有关材料。</p>")
    act(client, people["reviewer"], draft)
    act(client, people["reviewer2"], draft)
    assert not live(draft)
    findings = client.get(f"/admin/review/findings/{draft.pk}/").content.decode()
    import re

    key = re.search(r'name="finding" value="([0-9a-f]+)"', findings).group(1)
    client.post(f"/admin/review/findings/{draft.pk}/", {"finding": key, "reason": ""})
    act(client, people["reviewer2"], draft)
    assert live(draft)


def test_unreadable_attachment_stops_approval_and_cannot_be_overridden(client, county, draft, people):
    from review.models import ResponsibilityStatement as Statement
    from review.services import STATEMENT
    from tests.factories import make_document

    draft.attachments.create(document=make_document(county.collection, "损坏附件", b"PK\x03\x04broken", "x.docx"))
    revision = draft.save_revision(user=people["editor"])
    workflow = draft.get_workflow()
    workflow.start(draft, people["editor"])
    Statement.objects.create(page=draft, revision=revision, user=people["editor"], text=STATEMENT)

    act(client, people["reviewer"], draft)
    act(client, people["reviewer2"], draft)
    assert not live(draft)
    page = client.get(f"/admin/review/findings/{draft.pk}/").content.decode()
    assert "无法审查" in page and "须更换附件" in page
    assert 'name="finding"' not in page


def test_column_policy_adds_a_third_stage(county):
    from review.models import ReviewPolicy
    from tests.factories import column

    policies = column(county, "zcwj")
    from review.services import delete_policy, save_policy

    save_policy(ReviewPolicy(site=county, column=policies, stages=3))
    workflow = WorkflowPage.objects.get(page=policies).workflow
    assert [t.name for t in workflow.tasks] == ["初审", "复审", "终审"]
    assert WorkflowPage.objects.get(page=county.site.root_page).workflow.tasks.count() == 2
    delete_policy(ReviewPolicy.objects.get(column=policies))
    assert not WorkflowPage.objects.filter(page=policies).exists()


def test_group_office_manages_word_lists(client, county):
    from sitegroup.registry.roles import ensure_office_group

    client.force_login(make_user("office", groups=[ensure_office_group()]))
    assert client.get("/admin/wordlist/").status_code == 200
    client.force_login(make_user("xs_ed", county, "editor"))
    assert refused(client.get("/admin/wordlist/"))


def test_screening_runs_at_submission(client, draft, people):
    response = submit(client, people["editor"], draft, "<p>本文件为内部资料。</p>")
    follow = client.get(response["Location"])
    assert "自动审查发现 1 项问题（其中阻断 1 项）" in follow.content.decode()


def test_approve_modal_shows_the_screening_of_the_revision(client, draft, people):
    import json

    submit(client, people["editor"], draft, "<p>联系人身份证号 11010519491231002X。</p>")
    page = type(draft).objects.get(pk=draft.pk)
    state = page.current_workflow_task_state
    client.force_login(people["reviewer"])
    url = reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk])
    html = json.loads(client.get(url).content)["html"]
    assert "自动审查结果" in html and "身份证号" in html and "含 1 项阻断" in html
    assert "11010519491231002X" not in html  # masked, as on the findings page
    assert f"/admin/review/findings/{page.pk}/" in html
    # The submitter may not approve, so gets no modal either.
    client.force_login(people["editor"])
    assert refused(client.get(url))
