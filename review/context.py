"""The request being handled, for code Wagtail calls without one (task actions)."""

from contextvars import ContextVar

_request: ContextVar = ContextVar("sitegroup_request", default=None)


def current_request():
    return _request.get()


class CurrentRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        try:
            return self.get_response(request)
        finally:
            _request.reset(token)
