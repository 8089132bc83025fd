"""Password rules (GB/T 22239-2019 身份鉴别): character classes, no reuse, expiry.

Both validators are Django password validators, so every place that sets a
password through Django's forms (Wagtail's account and user views included)
applies them."""

import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

from .models import PasswordRecord

CLASSES = (
    ("大写字母", re.compile(r"[A-Z]")),
    ("小写字母", re.compile(r"[a-z]")),
    ("数字", re.compile(r"[0-9]")),
    ("符号", re.compile(r"[^A-Za-z0-9]")),
)


class CharacterClassValidator:
    def __init__(self, min_classes=3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(1 for _label, pattern in CLASSES if pattern.search(password))
        if present < self.min_classes:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


class ReuseValidator:
    """Refuses the last ``history`` passwords and records each new one."""

    def __init__(self, history=5):
        self.history = history

    def validate(self, password, user=None):
        if user is None or not user.pk:
            return
        recent = PasswordRecord.objects.filter(user=user).values_list("password", flat=True)[: self.history]
        if any(check_password(password, encoded) for encoded in recent):
            raise ValidationError(f"不能使用最近 {self.history} 次用过的密码。", code="password_reused")

    def password_changed(self, password, user=None):
        # Called by Django after any save() following set_password().
        if user is None or not user.pk:
            return
        PasswordRecord.objects.create(user=user, password=user.password)
        keep = PasswordRecord.objects.filter(user=user).values_list("pk", flat=True)[: self.history]
        PasswordRecord.objects.filter(user=user).exclude(pk__in=list(keep)).delete()

    def get_help_text(self):
        return f"不能与最近 {self.history} 次用过的密码相同。"


def last_changed(user):
    record = PasswordRecord.objects.filter(user=user).only("changed_at").first()
    # Accounts older than the rule count from when they joined.
    return record.changed_at if record else user.date_joined


def expires_at(user):
    max_age = settings.SECURITY_PASSWORD_MAX_AGE_DAYS
    if not max_age or not user.has_usable_password():
        return None
    return last_changed(user) + timedelta(days=max_age)

