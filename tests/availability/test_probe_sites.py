"""probe_sites against a real loopback server that is fine, slow, failing and down."""

import datetime
import socket
import time
from decimal import Decimal
from http.server import BaseHTTPRequestHandler

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from sitegroup.availability.models import AvailabilitySettings, Probe
from sitegroup.availability.services import availability, probe_all
from tests.factories import make_site
from tests.helpers import loopback_server


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server's naming
        if self.path.startswith("/slow"):
            time.sleep(2.5)
        if self.path.startswith("/broken"):
            self.send_response(500)
            self.end_headers()
            return
        body = "<html><title>首页</title></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    with loopback_server(Handler) as url:
        yield url


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def four_sites(db):
    return [make_site("county", name=f"站点{n}", code=f"s{n}", hostname=f"s{n}.localhost") for n in range(4)]


def configure(**fields):
    settings = AvailabilitySettings.load()
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    return settings


def test_fine_slow_broken_and_down_sites(server, four_sites, capsys):
    configure(timeout_seconds=1, addresses="\n".join([
        f"s0 {server}/", f"s1 {server}/slow", f"s2 {server}/broken", f"s3 http://127.0.0.1:{closed_port()}/",
    ]))
    with pytest.raises(SystemExit) as exit_info:
        call_command("probe_sites")
    assert exit_info.value.code == 1
    probes = {p.profile.code: p for p in Probe.objects.select_related("profile")}
    assert probes["s0"].ok and probes["s0"].status_code == 200 and probes["s0"].seconds < 1
    assert not probes["s1"].ok and "超过 1 秒" in probes["s1"].error
    assert not probes["s2"].ok and probes["s2"].status_code == 500 and probes["s2"].error == "HTTP 500"
    assert not probes["s3"].ok and "无法连接" in probes["s3"].error
    out = capsys.readouterr().out
    assert f"正常 站点0 {server}/" in out and "失败 站点1" in out


def test_all_fine_exits_zero(server, four_sites):
    configure(addresses="\n".join(f"s{n} {server}/" for n in range(4)))
    call_command("probe_sites")
    assert Probe.objects.filter(ok=True).count() == 4


def test_default_address_is_the_public_address_of_the_site(settings, four_sites):
    settings.SITEGROUP_PUBLIC_SCHEME, settings.SITEGROUP_PUBLIC_PORT = "https", None
    probes = probe_all(profiles=type(four_sites[0]).objects.filter(code="s0"))
    assert probes[0].url == "https://s0.localhost/"


def test_bad_addresses_are_refused_in_chinese(four_sites):
    with pytest.raises(ValidationError) as error:
        configure(addresses="s0 ftp://x/\nnosuch https://a.gov.cn/\njust-one-word")
    text = " ".join(error.value.message_dict["addresses"])
    assert "第 1 行：ftp://x/ 不是有效的 http(s) 地址" in text
    assert "第 2 行：没有站点代码 nosuch" in text and "第 3 行格式不对" in text


def add_probes(profile, ok, failed, end):
    step = datetime.timedelta(days=7) / (ok + failed + 1)
    Probe.objects.bulk_create(
        Probe(profile=profile, at=end - step * (n + 1), url="http://x/", ok=n >= failed) for n in range(ok + failed)
    )


@pytest.mark.parametrize("failed, vetoed", [(6, False), (7, True)])
def test_five_percent_of_a_week_of_probes_vetoes(four_sites, failed, vetoed):
    now = timezone.now()
    add_probes(four_sites[0], ok=140 - failed, failed=failed, end=now)
    figures = availability(four_sites, end=now)[four_sites[0].pk]
    assert figures.judged and figures.probes == 140
    assert figures.percent == (Decimal(100 * failed) / 140).quantize(Decimal("0.01"))
    assert figures.vetoed is vetoed
    assert ("单项否决" in figures.note()) is vetoed


def test_too_few_probes_are_not_judged(four_sites):
    now = timezone.now()
    add_probes(four_sites[0], ok=100, failed=39, end=now)  # 139 < 20 a day for 7 days
    figures = availability(four_sites, end=now)[four_sites[0].pk]
    assert not figures.judged and not figures.vetoed and "不作判定" in figures.note()
    assert availability(four_sites, end=now)[four_sites[1].pk].note() == "近 7 天无监测记录"


def test_probes_older_than_the_window_do_not_count(four_sites):
    now = timezone.now()
    add_probes(four_sites[0], ok=0, failed=140, end=now - datetime.timedelta(days=8))
    assert availability(four_sites, end=now)[four_sites[0].pk].probes == 0


def test_the_office_changes_the_thresholds(four_sites):
    configure(veto_percent=Decimal("10"))
    now = timezone.now()
    add_probes(four_sites[0], ok=130, failed=10, end=now)
    assert not availability(four_sites, end=now)[four_sites[0].pk].vetoed
