"""Tell the responsible people about amber/red sites, overdue reading logs and
filing decisions: by email and in their admin inbox, once a day per finding."""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sitegroup.duty.services import overdue
from sitegroup.freshness.assess import GREEN, assess
from sitegroup.registry.models import SiteGroup, SiteRole

from .models import Notification, SentNotice


def site_admins(profile):
    return list(get_user_model().objects.filter(
        groups__site_role__in=SiteGroup.objects.filter(profile=profile, role=SiteRole.ADMIN), is_active=True
    ).distinct())


def notify(users, title, body="", url="", emails=()):
    """Put the message in each user's inbox and email them (plus any extra addresses)."""
    users = {user.pk: user for user in users if user is not None}.values()
    Notification.objects.bulk_create(Notification(user=user, title=title, body=body, url=url) for user in users)
    recipients = sorted({*emails, *(user.email for user in users)} - {""})
    if recipients:
        # Only once the decision is stored: a rolled-back approval must not be mailed.
        transaction.on_commit(lambda: send_mail(title, body, None, recipients, fail_silently=True))
    return bool(users or recipients)


def _notify_once(key, title, body, url, users, emails=()):
    try:
        with transaction.atomic():
            SentNotice.objects.create(
                key=key, subject=title,
                recipients=",".join(sorted({*emails, *(u.email for u in users)} - {""})),
            )
    except IntegrityError:
        return False  # already told today
    return notify(users, title, body, url, emails)


def send_reminders(today=None):
    today = today or timezone.localdate()
    sent = 0
    for site in assess(today=today):
        if site.status == GREEN:
            continue
        body = "\n".join(f"- {f.message}" for f in site.problems)
        sent += _notify_once(
            f"freshness:{site.profile.pk}:{site.status}:{today}",
            f"【栏目更新监测】{site.profile.name}：{site.label}",
            f"{site.profile.name}存在以下更新问题：\n{body}\n请及时更新。",
            reverse("freshness_dashboard"), site_admins(site.profile), [site.profile.email],
        )
    for duty in overdue(today=today):
        sent += _notify_once(
            f"duty:{duty.pk}:{today}",
            f"【值班读网】{duty.profile.name} {duty.date:%Y-%m-%d} 读网记录逾期未填写",
            f"{duty.user} 在 {duty.date:%Y-%m-%d} 值班，尚未填写读网记录，请尽快补填。",
            reverse("duty_home"), [duty.user, *site_admins(duty.profile)],
        )
    return sent
