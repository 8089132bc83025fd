import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = "k" * 30 + "9f8e7d6c5b4a3928171605f4e3d2c1b0a"


def run(env_overrides, *args):
    dropped = ("SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env.update(DJANGO_SETTINGS_MODULE="sitegroup.settings.production", **env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_refuses_without_secret_key():
    result = run({"ALLOWED_HOSTS": "www.jiujiang.gov.cn"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_refuses_without_allowed_hosts():
    result = run({"SECRET_KEY": GOOD_KEY}, "check")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_refuses_wildcard_hosts_and_dev_keys():
    assert run({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "*"}, "check").returncode != 0
    assert run({"SECRET_KEY": "dev-" + GOOD_KEY, "ALLOWED_HOSTS": "a.gov.cn"}, "check").returncode != 0


def test_deploy_check_is_clean():
    result = run({"SECRET_KEY": GOOD_KEY, "ALLOWED_HOSTS": "www.jiujiang.gov.cn"}, "check", "--deploy")
    assert result.returncode == 0, result.stderr
    assert "security.W" not in result.stderr + result.stdout
