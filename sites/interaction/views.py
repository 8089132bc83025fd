"""Public routes of a channel page: 信件选登, the message form, the 查询码 page."""

from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control

from sites.cache import mark_cacheable
from sites.visibility import is_public

from . import services, throttle
from .forms import MessageForm
from .kinds import Satisfaction, Status
from .masking import mask_name, mask_personal_numbers
from .models import InteractionSettings, MessageEvent


def _render(channel, request, template, context, status=200):
    return TemplateResponse(
        request, channel.get_template(request) if template is None else template,
        {"page": channel, "self": channel, **context}, status=status,
    )


def letter_list(channel, request):
    q, page_obj = channel.paginated_replies(request)
    response = _render(channel, request, None, {"q": q, "page_obj": page_obj, "replies": page_obj.object_list})
    if is_public(channel, request):
        mark_cacheable(request, response)
    return response


def _private(response):
    # Forms carry a CSRF token and query results personal data: never shared caches.
    patch_cache_control(response, private=True, no_store=True)
    return response


def write(channel, request):
    initial = {"page_url": request.GET.get("url", "")[:500]} if channel.kind == "error_report" else {}
    if request.method == "POST":
        address = throttle.client_address(request)
        rules = InteractionSettings.load()
        try:
            services.count_attempt(address, rules)
            services.check_rate(address, rules)
        except services.Throttled:
            return _private(_render(channel, request, "interaction/throttled.html", {}, status=429))
        form = MessageForm(request.POST, request.FILES, channel=channel)
        if form.is_valid():
            try:
                message = services.submit(channel, form.cleaned_data, form.cleaned_data["attachments"], address,
                                          rules)
            except services.Throttled:
                return _private(_render(channel, request, "interaction/throttled.html", {}, status=429))
            except ValidationError as exc:
                for text in exc.messages:
                    form.add_error(None, text)
            else:
                return _private(_render(channel, request, "interaction/received.html", {"message": message}))
    else:
        form = MessageForm(initial=initial, channel=channel)
    status = 400 if form.is_bound else 200
    return _private(_render(channel, request, "interaction/write.html", {"form": form}, status=status))


def query(channel, request):
    code = request.POST.get("code") or request.GET.get("code") or ""
    message, error = None, ""
    if code:
        address = throttle.client_address(request)
        try:
            services.count_attempt(address)
        except services.Throttled:
            return _private(_render(channel, request, "interaction/throttled.html", {}, status=429))
        message = services.find_by_code(code)
        if message is None:
            error = "没有找到该查询码对应的留言，请核对后重新输入（查询码为 12 位字母和数字）。"
    notice = ""
    if message is not None and request.method == "POST" and "rating" in request.POST:
        try:
            message = services.rate(message, request.POST.get("rating", ""))
            notice = "感谢您的评价。"
        except ValidationError as exc:
            notice = "；".join(exc.messages)
    context = {"code": services.normalise_code(code), "error": error, "message": message, "notice": notice,
               "rates": Satisfaction.choices}
    if message is not None:
        reply = message.replies.filter(live=True).first()
        context.update({
            "asker": mask_name(message.name),
            "title": mask_personal_numbers(message.title),
            "content": mask_personal_numbers(message.content),
            "events": MessageEvent.objects.filter(message=message, public=True).select_related("site"),
            "reply": reply.specific if reply else None,
            "answered": message.status == Status.ANSWERED,
            "invalid": message.status == Status.INVALID,
        })
    return _private(_render(channel, request, "interaction/query.html", context, status=404 if error else 200))

