"""Security records: the audit trail (安全审计), password history and CSP reports."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models


class AuditKind(models.TextChoices):
    LOGIN = "login", "登录成功"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOGOUT = "logout", "退出登录"
    SESSION_EXPIRED = "session_expired", "会话超时退出"
    OTP_ENROLLED = "otp_enrolled", "绑定双因素认证"
    OTP_VERIFIED = "otp_verified", "双因素验证通过"
    OTP_FAILED = "otp_failed", "双因素验证失败"
    OTP_BACKUP_USED = "otp_backup_used", "使用备用验证码"
    OTP_BACKUP_REGENERATED = "otp_backup_regenerated", "重新生成备用验证码"
    OTP_RESET = "otp_reset", "重置双因素认证"
    LOCKOUT = "lockout", "账号锁定"
    UNLOCK = "unlock", "解除锁定"
    PASSWORD_CHANGED = "password_changed", "修改密码"
    USER_CHANGED = "user_changed", "用户变更"
    GROUP_CHANGED = "group_changed", "用户组变更"
    PERMISSION_CHANGED = "permission_changed", "权限变更"
    SETTINGS_CHANGED = "settings_changed", "设置变更"
    EXPORT = "export", "导出与下载"
    TAKEDOWN = "takedown", "撤稿下线"
    BACKUP = "backup", "备份"
    RESTORE = "restore", "恢复"
    AUDIT_EXPORTED = "audit_exported", "导出审计记录"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionDenied("安全审计记录只能追加，不能修改。")

    def delete(self):
        raise PermissionDenied("安全审计记录只能追加，不能删除。")


class AuditEvent(models.Model):
    """Append-only, hash-chained security event (GB/T 22239-2019 安全审计).

    Rows are written only by ``audit.record``; the model refuses updates and
    deletes, and ``verify_ledger`` detects anything done behind its back."""

    seq = models.PositiveBigIntegerField("序号", unique=True)
    kind = models.CharField("事件", max_length=30, choices=AuditKind.choices, db_index=True)
    # A plain id, not a foreign key: deleting an account must neither be blocked by
    # its history nor change a hashed row (SET_NULL would break the chain).
    actor_ref = models.BigIntegerField("操作人ID", null=True, db_index=True)
    actor_name = models.CharField("操作人账号", max_length=150, blank=True)
    address = models.CharField("来源地址", max_length=64, blank=True)
    target = models.CharField("对象", max_length=255, blank=True)
    detail = models.JSONField("详情", default=dict)
    created_at = models.DateTimeField("时间", db_index=True)
    prev_hash = models.CharField(max_length=64)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "安全审计记录"
        verbose_name_plural = "安全审计记录"
        ordering = ["-seq"]
        default_permissions = ()

    def __str__(self):
        return f"#{self.seq} {self.get_kind_display()} {self.actor_name}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("安全审计记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("安全审计记录只能追加，不能删除。")

    def chain_fields(self) -> dict:
        return {
            "seq": self.seq, "kind": self.kind, "actor": self.actor_ref, "name": self.actor_name,
            "address": self.address, "target": self.target, "detail": self.detail,
            "at": self.created_at.isoformat(), "prev": self.prev_hash,
        }


class PasswordRecord(models.Model):
    """One past password hash of a user: refuses reuse and dates expiry."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_records"
    )
    password = models.CharField(max_length=128)
    changed_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        default_permissions = ()

    def __str__(self):
        return f"{self.user_id} @ {self.changed_at:%Y-%m-%d}"


class CspReport(models.Model):
    """A Content-Security-Policy violation reported by a browser."""

    received_at = models.DateTimeField("收到时间", auto_now_add=True, db_index=True)
    document_uri = models.CharField("页面", max_length=1000, blank=True)
    violated_directive = models.CharField("违反的指令", max_length=200, blank=True)
    blocked_uri = models.CharField("被拦截的资源", max_length=1000, blank=True)
    source_file = models.CharField("来源文件", max_length=1000, blank=True)
    line_number = models.PositiveIntegerField("行号", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)
    raw = models.JSONField("原始报告", default=dict)

    class Meta:
        verbose_name = "CSP 违规报告"
        verbose_name_plural = "CSP 违规报告"
        ordering = ["-received_at"]
        default_permissions = ()

    def __str__(self):
        return f"{self.violated_directive} {self.blocked_uri}"[:200]
