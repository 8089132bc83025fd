"""A reply page going live answers its message (whoever approved it)."""

from django.dispatch import receiver
from wagtail.signals import page_published

from .models import LetterReplyPage
from .services import record_answer


@receiver(page_published, sender=LetterReplyPage)
def reply_published(sender, instance, **kwargs):
    record_answer(instance)
