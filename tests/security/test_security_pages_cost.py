"""The security pages cost the same number of queries however much they list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sitegroup.registry.roles import ensure_office_group
from sitegroup.security import audit
from sitegroup.security.models import AuditKind
from sitegroup.security.separation import ensure_security_groups
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_audit_trail_and_accounts_pages_do_not_grow_with_rows(client, county):
    groups = ensure_security_groups()
    auditor = make_user("aud", groups=[groups["安全审计员"]])
    office = make_user("office", groups=[ensure_office_group()])
    counts = []
    for batch in (5, 60):
        for n in range(batch):
            audit.record(AuditKind.BACKUP, None, target=f"/srv/{batch}/{n}")
            make_user(f"u{batch}-{n}", groups=[ensure_office_group()])
        client.force_login(auditor)
        trail = _count(client, "/admin/security/audit/")
        client.force_login(office)
        accounts = _count(client, "/admin/security/accounts/")
        counts.append((trail, accounts))
    assert counts[0] == counts[1], counts
    assert max(counts[1]) <= 40, counts
