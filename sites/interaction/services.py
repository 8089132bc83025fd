"""Everything that changes a message. Each function takes the acting user."""

from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from sitegroup.registry.lookup import profile_for_page, profiles_by_root_path, site_root_path
from sitegroup.registry.models import SiteProfile, SiteRole, SiteStatus
from sitegroup.registry.roles import is_group_office, profiles_for_user
from sites.permissions import WRITING_ROLES, site_roles
from sites.public_forms import CODE_LENGTH, fingerprint, new_code, normalise_code, store_upload

from . import throttle
from .clock import due_date, working_days_between
from .kinds import ChannelKind, Event, InvalidReason, Satisfaction, Status
from .masking import mask_name, mask_personal_numbers
from .models import (
    REPLY_PLACEHOLDER,
    InteractionChannelPage,
    InteractionSettings,
    LetterReplyPage,
    Message,
    MessageAttachment,
)
from .throttle import Throttled  # noqa: F401  (raised to the views from here)
from .uploads import check_attachment

HANDLER_ROLES = [SiteRole.ADMIN, SiteRole.EDITOR, SiteRole.OFFICER]


# --- who may do what -------------------------------------------------------

def visible_messages(user):
    """Messages of the sites the user handles; every message for the group office."""
    if not user.is_authenticated:
        return Message.objects.none()
    if is_group_office(user):
        return Message.objects.all()
    return Message.objects.filter(site__in=profiles_for_user(user, roles=HANDLER_ROLES))


def handlers(profile):
    """Active users who answer the site's messages (its admins, editors and 信息员)."""
    from django.contrib.auth import get_user_model

    from sitegroup.registry.models import SiteGroup

    return get_user_model().objects.filter(
        groups__site_role__in=SiteGroup.objects.filter(profile=profile, role__in=HANDLER_ROLES), is_active=True,
    ).distinct()


def can_handle(user, message) -> bool:
    return visible_messages(user).filter(pk=message.pk).exists()


def _require(user, message):
    if not can_handle(user, message):
        raise PermissionDenied


# --- the public side --------------------------------------------------------

def handling_site(channel, page_url: str, own=None) -> SiteProfile:
    """The site that answers: the channel's own, or for an error report the site
    the reported page belongs to (so the error reaches the people who can fix it)."""
    own = own or profile_for_page(channel)
    if channel.kind == ChannelKind.ERROR_REPORT and page_url:
        host = (urlsplit(page_url).hostname or "").lower()
        target = SiteProfile.objects.filter(site__hostname__iexact=host, status=SiteStatus.RUNNING).first()
        if target is not None:
            return target
    return own


def check_rate(address: str, rules=None):
    """Raise Throttled when the address has used up its quota (nothing is counted)."""
    rules = rules or InteractionSettings.load()
    throttle.check_quota("msg", address, rules.hourly_limit, rules.daily_limit)


def count_attempt(address: str, rules=None):
    """Every POST counts; beyond the limit the form is not even validated."""
    rules = rules or InteractionSettings.load()
    throttle.count_attempt("attempt", address, rules.attempt_limit)


@transaction.atomic
def submit(channel, data, files, address, rules=None):
    """Store a message from the public form (already validated) and return it.

    The quota is checked again here, inside the transaction that stores the
    message, so concurrent submissions cannot both pass a check made earlier."""
    rules = rules or InteractionSettings.load()
    check_rate(address, rules)
    max_bytes = rules.max_attachment_mb * 1024 * 1024
    if len(files) > rules.max_attachments:
        raise ValidationError(f"附件最多 {rules.max_attachments} 个。")
    checked = [(upload, *check_attachment(upload, max_bytes)) for upload in files]
    print_ = fingerprint(data["title"], data["content"], data["phone"])
    since = timezone.now() - timezone.timedelta(days=rules.duplicate_days)
    if Message.objects.filter(fingerprint=print_, received_at__gte=since).exists():
        raise ValidationError(
            "相同内容的留言已经提交过，请勿重复提交。如需了解办理进度，请使用当时获得的查询码查询。"
        )
    received = profile_for_page(channel)
    site = handling_site(channel, data.get("page_url", ""), own=received)
    today = timezone.localdate()
    target_channel = channel
    message = Message.objects.create(
        code=new_code(Message), channel=target_channel, kind=channel.kind, site=site, received_site=received,
        category=data.get("category", ""), title=data["title"], content=data["content"], name=data["name"],
        phone=data["phone"], email=data.get("email", ""), publish_consent=bool(data.get("publish_consent")),
        page_url=data.get("page_url", ""), address=address if address != "unknown" else None,
        fingerprint=print_, received_on=today, clock_started_on=today, due_on=due_date(today, channel),
    )
    for upload, extension, content_type in checked:
        store_upload(MessageAttachment(message=message), upload, extension, content_type)
    note = f"答复期限 {message.due_on:%Y-%m-%d}"
    if site.pk != received.pk:
        note += f"，由{site.name}办理"
    message.events.create(action=Event.RECEIVED, site=site, note=note)
    throttle.spend_quota("msg", address)
    return message


def find_by_code(code: str):
    code = normalise_code(code)
    if len(code) != CODE_LENGTH:
        return None
    return Message.objects.select_related("site", "channel").filter(code=code).first()


@transaction.atomic
def rate(message, value: str):
    if value not in Satisfaction.values:
        raise ValidationError("请选择满意、基本满意或不满意。")
    message = Message.objects.select_for_update().get(pk=message.pk)
    if message.status != Status.ANSWERED:
        raise ValidationError("留言答复后才能评价。")
    if message.satisfaction:
        raise ValidationError("您已评价过，感谢您的反馈。")
    message.satisfaction, message.rated_at = value, timezone.now()
    message.save(update_fields=["satisfaction", "rated_at"])
    message.events.create(action=Event.RATED, site=message.site, note=Satisfaction(value).label)
    return message


# --- the staff side ---------------------------------------------------------

def _open_for_update(message):
    locked = Message.objects.select_for_update().get(pk=message.pk)
    if not locked.is_open:
        raise ValidationError("该留言已办结，不能再操作。")
    return locked


@transaction.atomic
def accept(message, user):
    _require(user, message)
    message = _open_for_update(message)
    if message.status == Status.ACCEPTED:
        return message
    message.status, message.accepted_at = Status.ACCEPTED, timezone.now()
    message.save(update_fields=["status", "accepted_at"])
    message.events.create(action=Event.ACCEPTED, actor=user, site=message.site, note="已受理，正在办理")
    return message


@transaction.atomic
def reject(message, user, reason: str, note: str):
    _require(user, message)
    if reason not in InvalidReason.values:
        raise ValidationError("请选择无效原因。")
    note = (note or "").strip()[:200]
    if not note:
        raise ValidationError("请说明不予受理的理由，留言人可以看到。")
    message = _open_for_update(message)
    if message.replies.exists():
        raise ValidationError("已起草答复的留言不能再判为无效。")
    message.status, message.invalid_reason, message.invalid_note = Status.INVALID, reason, note
    message.save(update_fields=["status", "invalid_reason", "invalid_note"])
    message.events.create(action=Event.REJECTED, actor=user, site=message.site,
                          note=f"{InvalidReason(reason).label}：{note}")
    return message


def transfer_targets(message):
    """(channel id, "site · channel") for the live channels of other running sites."""
    profiles = profiles_by_root_path(SiteProfile.objects.filter(status=SiteStatus.RUNNING))
    own = message.site.site.root_page.path
    targets = []
    channels = InteractionChannelPage.objects.live().exclude(kind=ChannelKind.ERROR_REPORT).order_by("path")
    for channel in channels.only("id", "title", "path"):
        root = site_root_path(channel)
        if root != own and root in profiles:
            targets.append((channel.pk, f"{profiles[root].name} · {channel.title}"))
    return targets


@transaction.atomic
def transfer(message, user, channel, note: str):
    """转办: the receiving site answers, on its own channel's limit from today."""
    _require(user, message)
    channel = InteractionChannelPage.objects.live().filter(pk=getattr(channel, "pk", channel)).first()
    if channel is None:
        raise ValidationError("请选择转办的网站渠道。")
    target = profile_for_page(channel)
    if target is None or target.status != SiteStatus.RUNNING:
        raise ValidationError("该网站未在运行，不能接收转办。")
    message = _open_for_update(message)
    if target.pk == message.site_id:
        raise ValidationError("不能转办给本网站。")
    if message.replies.exists():
        raise ValidationError("已起草答复的留言不能转办；如确需转办，请先删除答复草稿。")
    today = timezone.localdate()
    message.site, message.channel = target, channel
    message.status, message.accepted_at = Status.PENDING, None
    message.clock_started_on, message.due_on = today, due_date(today, channel)
    message.transfer_count += 1
    message.save(update_fields=["site", "channel", "status", "accepted_at", "clock_started_on", "due_on",
                                "transfer_count"])
    text = f"转交{target.name}办理，答复期限 {message.due_on:%Y-%m-%d}"
    if (note or "").strip():
        text += f"（{note.strip()[:200]}）"
    message.events.create(action=Event.TRANSFERRED, actor=user, site=target, note=text)
    return message


def _reply_channel(message):
    """Where the reply page lives: the message's channel, or, for an error report
    routed to the site that owns the page, one of that site's own channels."""
    channel = message.channel
    if channel is not None and profile_for_page(channel) == message.site:
        return channel
    root = message.site.site.root_page
    return (
        InteractionChannelPage.objects.live().filter(path__startswith=root.path)
        .exclude(kind=ChannelKind.ERROR_REPORT).order_by("path").first()
    )


@transaction.atomic
def draft_reply(message, user):
    """Create (or return) the reply page for the message, unpublished, for the editor."""
    _require(user, message)
    message = _open_for_update(message)
    existing = message.replies.order_by("pk").first()
    if existing is not None:
        return existing
    channel = _reply_channel(message)
    if channel is None:
        raise ValidationError("本网站没有开设互动渠道，无法起草答复。请站点管理员在“互动交流”下添加渠道，或转办。")
    # Replies are created here, never from the page tree (is_creatable is off),
    # so Wagtail's can_add_subpage() says no; the writer roles decide instead.
    if not (user.is_superuser or site_roles(user, channel) & WRITING_ROLES):
        raise PermissionDenied
    if message.status == Status.PENDING:
        message.status, message.accepted_at = Status.ACCEPTED, timezone.now()
        message.save(update_fields=["status", "accepted_at"])
        message.events.create(action=Event.ACCEPTED, actor=user, site=message.site, note="已受理，正在办理")
    page = LetterReplyPage(
        title=mask_personal_numbers(message.title), slug=f"reply-{message.pk}", live=False,
        message=message, asker=mask_name(message.name), category=message.category,
        asked_on=message.received_on, question=mask_personal_numbers(message.content),
        reply=f"<p>{REPLY_PLACEHOLDER}</p>", reply_unit=message.site.name, owner=user,
        # An error report is answered to the reporter; it is not a letter of the site's 信件选登.
        shown_publicly=message.may_be_published and message.kind != ChannelKind.ERROR_REPORT,
    )
    channel.add_child(instance=page)
    page.save_revision(user=user, clean=False)  # the placeholder is refused only when the reply is submitted
    message.events.create(action=Event.DRAFTED, actor=user, site=message.site, note="答复起草中，审核后发布",
                          public=False)
    return page


@transaction.atomic
def record_answer(page):
    """A reply page went live: its message is answered (the first time only)."""
    message = Message.objects.select_for_update().get(pk=page.message_id)
    if message.status == Status.ANSWERED:
        return message
    now = timezone.now()
    today = timezone.localdate(now)
    message.status, message.answered_at, message.answered_on = Status.ANSWERED, now, today
    # The site is measured from when it received the message (after a transfer,
    # from the transfer); the 90-day rule from when the citizen wrote.
    message.reply_working_days = working_days_between(message.clock_started_on, today)
    message.answer_days = (today - message.received_on).days
    message.save(update_fields=["status", "answered_at", "answered_on", "reply_working_days", "answer_days"])
    message.events.create(action=Event.ANSWERED, site=message.site, note=f"{message.site.name}已答复")
    return message
