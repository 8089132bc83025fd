"""Wagtail's admin API for images and documents, limited to the collections the
user may use. Wagtail's own endpoints list every site's files (titles, file
addresses) to anyone signed in to the admin."""

from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.permissions import policy_registry

ACTIONS = ["choose", "add", "change", "delete"]


class _CollectionScoped:
    def get_queryset(self):
        policy = policy_registry.get_by_type(self.model)
        allowed = policy.collections_user_has_any_permission_for(self.request.user, ACTIONS)
        return super().get_queryset().filter(collection__in=allowed)


class ScopedDocumentsAdminAPIViewSet(_CollectionScoped, DocumentsAdminAPIViewSet):
    pass


class ScopedImagesAdminAPIViewSet(_CollectionScoped, ImagesAdminAPIViewSet):
    pass
