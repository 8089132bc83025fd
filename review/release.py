"""Media reach the public only with a reviewed page (涉密信息不上网).

An uploaded image or document is served to visitors only while a live, public
page that passed review shows it, and only as the exact file that was reviewed.
Staff who may use the file in the admin still see it, for previews.
"""

from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.permissions import policy_registry

from sites.media_use import media_used_by

from .models import MediaKind, ReleasedMedia

STAFF_ACTIONS = ["choose", "change"]


def fingerprint(obj) -> str:
    """Changes whenever the file behind a document or image is replaced."""
    return f"{obj.file.name}|{getattr(obj, 'file_size', '') or ''}|{getattr(obj, 'file_hash', '') or ''}"


@transaction.atomic
def release_page_media(page) -> int:
    """Record the media of a page just published (its live content). Returns the count."""
    use = media_used_by(page)
    ReleasedMedia.objects.filter(page_id=page.pk).delete()
    rows = []
    for kind, model, ids in (
        (MediaKind.DOCUMENT, get_document_model(), use.document_ids),
        (MediaKind.IMAGE, get_image_model(), use.image_ids),
    ):
        for obj in model.objects.filter(pk__in=ids):
            rows.append(ReleasedMedia(page_id=page.pk, kind=kind, object_id=obj.pk, fingerprint=fingerprint(obj)))
    ReleasedMedia.objects.bulk_create(rows)
    return len(rows)


def withdraw_page_media(page) -> None:
    ReleasedMedia.objects.filter(page_id=page.pk).delete()


def is_released(kind: str, obj) -> bool:
    page_ids = ReleasedMedia.objects.filter(
        kind=kind, object_id=obj.pk, fingerprint=fingerprint(obj)
    ).values_list("page_id", flat=True)
    return Page.objects.live().public().filter(pk__in=list(page_ids)).exists()


def staff_may_see(user, kind: str, obj) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    model = get_document_model() if kind == MediaKind.DOCUMENT else get_image_model()
    policy = policy_registry.get_by_type(model)
    return policy.user_has_any_permission_for_instance(user, STAFF_ACTIONS, obj)


def may_serve(request, kind: str, obj) -> bool:
    return is_released(kind, obj) or staff_may_see(getattr(request, "user", None), kind, obj)


def rebuild(stdout=None) -> int:
    """Release the media of every live page again (after an upgrade or a restore). Re-runnable."""
    total = 0
    pages = Page.objects.live().specific().order_by("path")
    count = pages.count()
    for done, page in enumerate(pages.iterator(chunk_size=200), start=1):
        total += release_page_media(page)
        if stdout is not None and (done % 200 == 0 or done == count):
            stdout.write(f"已处理 {done}/{count} 个页面，登记媒体 {total} 个")
    return total
