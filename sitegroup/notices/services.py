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
from sites.disclosure.stats import due_by_site as disclosure_due
from sites.interaction.services import handlers as interaction_handlers
from sites.interaction.stats import reminders as interaction_reminders

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
    sent += _interaction_reminders(today)
    sent += _disclosure_reminders(today)
    return sent


def _disclosure_reminders(today):
    """依申请公开: overdue applications, and those 5 and 2 working days from their deadline."""
    sent = 0
    for entry in disclosure_due(today):
        lines = [f"- {a.code} 已超期（期限 {a.due_on:%Y-%m-%d}）" for a in entry.overdue]
        lines += [f"- {a.code} 还剩 {left} 个工作日（期限 {a.due_on:%Y-%m-%d}）" for a, left in entry.soon]
        title = (f"【依申请公开】{entry.site.name}：{len(entry.overdue)} 件超期" if entry.overdue
                 else f"【依申请公开】{entry.site.name}：{len(entry.soon)} 件临近答复期限")
        sent += _notify_once(
            f"disclosure:{entry.site.pk}:{today}", title, "以下政府信息公开申请请按期答复：\n" + "\n".join(lines),
            reverse("ysqgk_inbox") + f"?site={entry.site.pk}", list(interaction_handlers(entry.site)),
        )
    return sent


def _codes(messages, limit=20):
    lines = [f"- {m.code} {m.title}（期限 {m.due_on:%Y-%m-%d}）" for m in messages[:limit]]
    if len(messages) > limit:
        lines.append(f"……共 {len(messages)} 条")
    return "\n".join(lines)


def _interaction_reminders(today):
    """One digest a day per site: messages due soon, and those due today or late."""
    sent = 0
    for entry in interaction_reminders(today):
        people = list(interaction_handlers(entry.site))
        parts = []
        if entry.due:
            parts.append(f"今天到期或已超期 {len(entry.due)} 条：\n{_codes(entry.due)}")
        if entry.soon:
            parts.append(f"即将到期 {len(entry.soon)} 条：\n{_codes(entry.soon)}")
        title = (f"【政民互动】{entry.site.name}：{len(entry.due)} 条留言到期或超期" if entry.due
                 else f"【政民互动】{entry.site.name}：{len(entry.soon)} 条留言即将到期")
        sent += _notify_once(
            f"interaction:{entry.site.pk}:{today}", title,
            "以下留言请在答复期限内办理并提交审核：\n" + "\n".join(parts),
            reverse("interaction_inbox") + f"?site={entry.site.pk}&status=open", people,
        )
    return sent
