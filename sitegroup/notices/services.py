"""Email the people responsible for amber/red sites and overdue reading logs, once a day each."""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from sitegroup.duty.services import overdue
from sitegroup.freshness.assess import GREEN, assess
from sitegroup.registry.models import SiteGroup, SiteRole

from .models import SentNotice


def _site_admin_emails(profile):
    users = get_user_model().objects.filter(
        groups__site_role__in=SiteGroup.objects.filter(profile=profile, role=SiteRole.ADMIN), is_active=True
    ).exclude(email="")
    return sorted({profile.email, *users.values_list("email", flat=True)} - {""})


def _send_once(key, subject, body, recipients):
    if not recipients:
        return False
    try:
        with transaction.atomic():
            SentNotice.objects.create(key=key, recipients=",".join(recipients), subject=subject)
    except IntegrityError:
        return False  # already sent today
    send_mail(subject, body, None, recipients, fail_silently=False)
    return True


def send_reminders(today=None):
    today = today or timezone.localdate()
    sent = 0
    for site in assess(today=today):
        if site.status == GREEN:
            continue
        body = "\n".join(f"- {f.message}" for f in site.problems)
        subject = f"【栏目更新监测】{site.profile.name}：{site.label}"
        sent += _send_once(f"freshness:{site.profile.pk}:{site.status}:{today}", subject,
                           f"{site.profile.name}存在以下更新问题：\n{body}\n请及时更新。", _site_admin_emails(site.profile))
    for duty in overdue(today=today):
        subject = f"【值班读网】{duty.profile.name} {duty.date:%Y-%m-%d} 读网记录逾期未填写"
        recipients = sorted({duty.user.email, *_site_admin_emails(duty.profile)} - {""})
        sent += _send_once(f"duty:{duty.pk}:{today}", subject,
                           f"{duty.user} 在 {duty.date:%Y-%m-%d} 值班，尚未填写读网记录，请尽快补填。", recipients)
    return sent
