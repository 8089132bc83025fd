"""Public access to uploaded files, through the release rules of ``release``.

Every file under MEDIA_ROOT (originals, renditions, documents) is served by
this view, never straight from the directory, so an unreviewed upload cannot be
fetched by guessing its address. A front web server may take over the sending
(X-Accel-Redirect) once the decision is made here.
"""

from django.conf import settings
from django.http import Http404
from django.views.static import serve
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from .models import MediaKind
from .release import may_serve


def _owner(path: str):
    """The image or document a file under MEDIA_ROOT belongs to, or None."""
    Image = get_image_model()
    if path.startswith("original_images/"):
        return MediaKind.IMAGE, Image.objects.filter(file=path).first()
    if path.startswith("images/"):
        rendition = Image.get_rendition_model().objects.filter(file=path).select_related("image").first()
        return MediaKind.IMAGE, rendition.image if rendition else None
    if path.startswith("documents/"):
        return MediaKind.DOCUMENT, get_document_model().objects.filter(file=path).first()
    return None, None


def serve_media(request, path):
    kind, obj = _owner(path)
    if obj is None or not may_serve(request, kind, obj):
        raise Http404("该文件不存在或尚未发布。")
    response = serve(request, path, document_root=settings.MEDIA_ROOT)
    # A file can be withdrawn at any time; shared caches must ask again.
    response["Cache-Control"] = "no-cache"
    return response
