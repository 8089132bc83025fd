"""Assertions and servers shared by HTTP tests."""

import contextlib
import threading


def denied(response) -> bool:
    """Refused: a 403 or 404, or Wagtail's redirect to the dashboard that it
    gives for PermissionDenied inside the admin."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def refused(response) -> bool:
    """Exactly Wagtail's refusal inside the admin: PermissionDenied becomes a
    redirect to the dashboard (with a message). A redirect anywhere else, which
    might lead to a page that grants access, is not a refusal."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def kept_out_of_admin(response) -> bool:
    """A signed-in user with no admin access at all: Wagtail sends them to the
    sign-in page (with a message) rather than showing anything."""
    return response.status_code == 302 and response["Location"].startswith("/admin/login/")


@contextlib.contextmanager
def loopback_server(handler):
    """A real HTTP server on 127.0.0.1 with ``handler`` (a BaseHTTPRequestHandler); yields its base URL."""
    from http.server import ThreadingHTTPServer

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
