"""Assertions shared by HTTP tests."""


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
