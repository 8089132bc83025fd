import datetime

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from sitegroup.duty import services as duty
from tests.factories import make_user


def test_reminders_go_to_the_responsible_people_once_a_day(county, django_capture_on_commit_callbacks):
    admin = make_user("xs_admin", county, "admin")
    officer = make_user("xs_officer", county, "officer")
    duty.assign(county, timezone.localdate() - datetime.timedelta(days=1), officer)
    # Mail leaves on commit; each test runs inside a transaction that never commits.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")  # county is empty (red) and has an overdue log
    subjects = [m.subject for m in mail.outbox]
    assert any("栏目更新监测】修水县" in s for s in subjects)
    assert any("读网记录逾期未填写" in s for s in subjects)
    red = next(m for m in mail.outbox if "栏目更新监测" in m.subject)
    assert admin.email in red.to and county.email in red.to and "空白栏目" in red.body
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    assert len(mail.outbox) == sent  # not again today


def test_green_sites_get_no_mail(county, django_capture_on_commit_callbacks):
    from tests.oversight.test_freshness import fill

    fill(county, news_age=0, notice_age=0, policy_age=0)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders")
    assert mail.outbox == []


def test_reminders_also_land_in_the_admin_inbox(client, county):
    from sitegroup.notices.models import Notification

    admin = make_user("xs_admin", county, "admin")
    officer = make_user("xs_officer", county, "officer")
    duty.assign(county, timezone.localdate() - datetime.timedelta(days=1), officer)
    call_command("send_reminders")
    call_command("send_reminders")
    assert Notification.objects.filter(user=officer, title__contains="读网记录逾期").count() == 1
    titles = set(Notification.objects.filter(user=admin).values_list("title", flat=True))
    assert any("栏目更新监测" in t for t in titles) and any("读网记录逾期" in t for t in titles)
    client.force_login(officer)
    assert "读网记录逾期未填写" in client.get("/admin/").content.decode()
