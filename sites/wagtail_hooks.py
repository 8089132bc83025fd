from django.core.exceptions import PermissionDenied
from wagtail import hooks


@hooks.register("before_move_page")
def refuse_move_without_permission(request, page, destination):
    """Wagtail's move confirmation checks nothing before showing the page and its
    destination (it refuses only the POST): check on every request."""
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied
