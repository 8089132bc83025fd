"""Wagtail's user views with the 三员分立 rule checked where the groups are chosen."""

from django.core.exceptions import ValidationError
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from .separation import conflict


class SeparatedRolesMixin:
    def clean_groups(self):
        groups = self.cleaned_data.get("groups")
        message = conflict([group.name for group in groups]) if groups else None
        if message:
            raise ValidationError(message)
        return groups


class SeparatedUserCreationForm(SeparatedRolesMixin, UserCreationForm):
    pass


class SeparatedUserEditForm(SeparatedRolesMixin, UserEditForm):
    pass


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return SeparatedUserEditForm if for_update else SeparatedUserCreationForm
