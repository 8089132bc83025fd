from django.db import models


class SentNotice(models.Model):
    """One reminder sent, so the same finding is not mailed twice a day."""

    key = models.CharField(max_length=200, unique=True)
    recipients = models.TextField()
    subject = models.CharField(max_length=200)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "已发送提醒"
        verbose_name_plural = "已发送提醒"

    def __str__(self):
        return self.subject
