import pytest
from django_otp.oath import TOTP


@pytest.fixture
def enforce_2fa(settings):
    settings.SECURITY_2FA_ENFORCED = True
    return settings


def totp_now(device, offset=0):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user, password=None):
    return client.post("/admin/login/", {"username": user.username, "password": password or "pw-" + user.username})
