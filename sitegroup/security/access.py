"""Who may use the security pages (the views check every request)."""

from django.core.exceptions import PermissionDenied

from sitegroup.registry.roles import is_group_office

from .separation import is_auditor, is_security_admin


def may_manage_accounts(user) -> bool:
    """Unlock accounts and reset second factors: the group office and 安全管理员."""
    return is_group_office(user) or is_security_admin(user)


def may_read_audit(user) -> bool:
    """Only 安全审计员 reads the trail: not the office, not a superuser (三员分立)."""
    return is_auditor(user)


def require(check, user):
    if not check(user):
        raise PermissionDenied
