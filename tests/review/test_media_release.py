"""Uploaded files reach the public only with a reviewed, live page."""

from django.core.files.base import ContentFile
from wagtail.models import Page, PageViewRestriction

from review.models import ReleasedMedia
from review.services import withdraw
from sitegroup.registry.roles import ensure_office_group
from tests.factories import make_document, make_image, make_user
from tests.review.conftest import act, submit


def doc_url(document):
    return f"/documents/{document.pk}/{document.filename}"


def get_as(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url, HTTP_HOST="xiushui.localhost")


def submit_as_is(draft, editor):
    """Submit the latest revision unchanged (the edit form would need the
    attachment formset filled in; what is tested here is the release)."""
    from review.models import ResponsibilityStatement
    from review.services import STATEMENT

    draft = type(draft).objects.get(pk=draft.pk)
    draft.get_workflow().start(draft, editor)
    ResponsibilityStatement.objects.create(
        page=draft, revision=draft.get_latest_revision(), user=editor, text=STATEMENT
    )


def review_through(client, draft, people):
    submit_as_is(draft, people["editor"])
    act(client, people["reviewer"], draft)
    act(client, people["reviewer2"], draft)
    assert Page.objects.get(pk=draft.pk).live


def attach(draft, document, people):
    draft = type(draft).objects.get(pk=draft.pk)
    draft.attachments.create(document=document)
    draft.save_revision(user=people["editor"])
    return draft


def test_an_uploaded_document_is_not_public_until_its_page_passes_review(client, county, draft, people):
    document = make_document(county.collection, "会议纪要", b"plain text minutes", "minutes.txt")
    other = make_user("wn_editor")
    assert get_as(client, None, doc_url(document)).status_code == 404
    assert get_as(client, other, doc_url(document)).status_code == 404
    assert get_as(client, people["editor"], doc_url(document)).status_code == 200  # staff preview
    office = make_user("office", groups=[ensure_office_group()])
    assert get_as(client, office, doc_url(document)).status_code == 200

    draft = attach(draft, document, people)
    submit_as_is(draft, people["editor"])
    act(client, people["reviewer"], draft)
    assert get_as(client, None, doc_url(document)).status_code == 404, "half-way through review"
    act(client, people["reviewer2"], draft)
    assert Page.objects.get(pk=draft.pk).live
    response = get_as(client, None, doc_url(document))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"plain text minutes"
    # Nor straight from the media directory.
    assert get_as(client, None, "/media/" + document.file.name).status_code == 200


def test_a_replaced_file_needs_review_again(client, county, draft, people):
    document = make_document(county.collection, "名单", b"first version", "list.txt")
    draft = attach(draft, document, people)
    review_through(client, draft, people)
    assert get_as(client, None, doc_url(document)).status_code == 200
    document.file.save("list.txt", ContentFile(b"secret second version"), save=False)
    document.save()
    assert get_as(client, None, doc_url(document)).status_code == 404
    assert get_as(client, None, "/media/" + document.file.name).status_code == 404
    assert get_as(client, people["editor"], doc_url(document)).status_code == 200


def test_takedown_and_unpublish_withdraw_the_files(client, county, draft, people):
    document = make_document(county.collection, "通知", b"notice", "notice.txt")
    draft = attach(draft, document, people)
    review_through(client, draft, people)
    assert get_as(client, None, doc_url(document)).status_code == 200
    withdraw(Page.objects.get(pk=draft.pk), make_user("office", groups=[ensure_office_group()]), "误发")
    assert get_as(client, None, doc_url(document)).status_code == 404
    assert not ReleasedMedia.objects.filter(page_id=draft.pk).exists()


def test_a_file_of_a_private_page_stays_private(client, county, draft, people):
    document = make_document(county.collection, "内部", b"internal", "internal.txt")
    draft = attach(draft, document, people)
    review_through(client, draft, people)
    PageViewRestriction.objects.create(page=Page.objects.get(pk=draft.pk), restriction_type="password", password="x")
    assert get_as(client, None, doc_url(document)).status_code == 404


def test_images_and_renditions_follow_the_same_rule(client, county, draft, people):
    image = make_image(county.collection, "现场照片")
    rendition = image.get_rendition("fill-80x60")
    original = "/media/" + image.file.name
    thumb = "/media/" + rendition.file.name
    assert get_as(client, None, original).status_code == 404
    assert get_as(client, None, thumb).status_code == 404
    assert get_as(client, people["editor"], thumb).status_code == 200

    draft = type(draft).objects.get(pk=draft.pk)
    draft.cover_image = image
    draft.save_revision(user=people["editor"])
    review_through(client, draft, people)
    assert get_as(client, None, thumb).status_code == 200
    assert get_as(client, None, "/media/images/not-a-file.png").status_code == 404
    assert get_as(client, None, "/media/../settings.py").status_code == 404


def test_a_document_linked_in_the_text_is_screened_and_released(client, county, draft, people):
    from review.services import screen_revision

    document = make_document(county.collection, "附表", b"\xe6\x9c\xba\xe5\xaf\x86\xe2\x98\x85", "table.txt")  # 机密★
    body = f'<p>详见<a linktype="document" id="{document.pk}">附表</a>。</p>'
    submit(client, people["editor"], draft, body)
    revision = Page.objects.get(pk=draft.pk).get_latest_revision()
    findings = screen_revision(revision)
    assert any(f.location == "附件“table.txt”" and f.level == "block" for f in findings), findings
    from sites.media_use import media_used_by

    assert media_used_by(revision.as_object()).document_ids == {document.pk}
