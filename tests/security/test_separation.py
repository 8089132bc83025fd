"""三员分立: one account holds at most one of 系统管理员, 安全管理员, 安全审计员,
whichever way the membership is made."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from sitegroup.security.separation import ensure_security_groups
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def groups():
    return ensure_security_groups()


def test_the_groups_exist_after_migrate():
    assert set(Group.objects.filter(name__in=["系统管理员", "安全管理员", "安全审计员"])
               .values_list("name", flat=True)) == {"系统管理员", "安全管理员", "安全审计员"}


@pytest.mark.parametrize("first, second", [("系统管理员", "安全审计员"), ("安全管理员", "安全审计员"),
                                           ("系统管理员", "安全管理员")])
def test_no_account_combines_two_roles(groups, first, second):
    user = make_user("u", groups=[groups[first]])
    with pytest.raises(ValidationError, match="三员分立"), transaction.atomic():
        user.groups.add(groups[second])
    with pytest.raises(ValidationError, match="三员分立"), transaction.atomic():
        groups[second].user_set.add(user)
    assert list(user.groups.values_list("name", flat=True)) == [first]


def test_the_user_form_says_why(client, groups):
    sysadmin = make_user("sys", groups=[groups["系统管理员"]])
    client.force_login(sysadmin)
    response = client.post("/admin/users/new/", {
        "username": "both", "email": "b@example.gov.cn", "first_name": "两", "last_name": "职",
        "password1": "Jiujiang-2026-web", "password2": "Jiujiang-2026-web",
        "groups": [groups["安全管理员"].pk, groups["安全审计员"].pk],
    })
    assert response.status_code == 200
    assert "三员分立" in response.content.decode()
    assert not Group.objects.get(name="安全审计员").user_set.filter(username="both").exists()


def test_the_system_administrator_cannot_make_themselves_auditor(client, groups):
    sysadmin = make_user("sys", groups=[groups["系统管理员"]])
    client.force_login(sysadmin)
    response = client.post(f"/admin/users/edit/{sysadmin.pk}/", {
        "username": "sys", "email": "s@example.gov.cn", "first_name": "系", "last_name": "管",
        "groups": [groups["系统管理员"].pk, groups["安全审计员"].pk], "is_active": "on",
    })
    assert response.status_code == 200 and "三员分立" in response.content.decode()
    assert list(sysadmin.groups.values_list("name", flat=True)) == ["系统管理员"]
