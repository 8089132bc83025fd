"""Assertions shared by HTTP tests."""


def denied(response) -> bool:
    """Refused: a 403 or 404, or Wagtail's redirect to the dashboard that it
    gives for PermissionDenied inside the admin."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )
