"""A real nginx (Debian's /usr/sbin/nginx) running the generated configuration.

Locally a missing nginx skips the tests that need it; in CI (CI=true) it fails
them, so a green CI run always includes them. Each server gets its own
directory (configuration, pid file, temporary files, error log) and free ports.
"""

import os
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

NGINX = Path("/usr/sbin/nginx")
START_SECONDS = 10.0


def require_nginx() -> Path:
    if not NGINX.exists():
        reason = f"{NGINX} is not installed (apt-get install nginx-light)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"nginx tests cannot run in CI: {reason}")
        pytest.skip(reason)
    return NGINX


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_config(directory, *, root, upstream, listen=None, internal_listen=None, sites=None):
    """Write a standalone nginx.conf into ``directory``: (path, Config, public port, internal port)."""
    from sitegroup.publishing.nginx import render_config

    directory = Path(directory)
    (directory / "tmp").mkdir(parents=True, exist_ok=True)
    public = free_port()
    internal = free_port()
    config = render_config(
        root=root, upstream=upstream, standalone=True, sites=sites,
        listen=listen or f"127.0.0.1:{public}", internal_listen=internal_listen or f"127.0.0.1:{internal}",
        pid=directory / "nginx.pid", error_log="stderr", temp_dir=directory / "tmp",
    )
    path = directory / "nginx.conf"
    path.write_text(config, encoding="utf-8")
    return path, config, public, internal


def check_config(path) -> subprocess.CompletedProcess:
    """``nginx -t`` on a configuration file; the result carries nginx's messages."""
    nginx = require_nginx()
    path = Path(path)
    return subprocess.run(
        [str(nginx), "-t", "-q", "-p", str(path.parent), "-c", str(path), "-e", "stderr"],
        capture_output=True, text=True, timeout=30,
    )


def _accepting(port) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class NginxServer:
    config: str
    path: Path
    public_port: int
    internal_port: int
    log: Path

    @property
    def public(self) -> str:
        return f"http://127.0.0.1:{self.public_port}"

    @property
    def internal(self) -> str:
        return f"http://127.0.0.1:{self.internal_port}"

    def errors(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""


@contextmanager
def nginx_server(directory, *, root, upstream, sites=None):
    """Run nginx in the foreground on free local ports until the block ends."""
    nginx = require_nginx()
    path, config, public, internal = write_config(directory, root=root, upstream=upstream, sites=sites)
    checked = check_config(path)
    if checked.returncode != 0:
        pytest.fail(f"nginx -t rejected the generated configuration:\n{checked.stderr}\n{config}")
    log = Path(directory) / "nginx.stderr"
    with open(log, "wb") as stderr:
        process = subprocess.Popen(
            [str(nginx), "-p", str(path.parent), "-c", str(path), "-e", "stderr", "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, stdout=stderr, stderr=stderr,
        )
    server = NginxServer(config=config, path=path, public_port=public, internal_port=internal, log=log)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not (_accepting(public) and _accepting(internal)):
            if process.poll() is not None:
                pytest.fail(f"nginx exited with {process.returncode}:\n{server.errors()}")
            if time.monotonic() > deadline:
                pytest.fail(f"nginx did not accept connections within {START_SECONDS:.0f}s:\n{server.errors()}")
            time.sleep(0.05)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()  # SIGTERM: fast shutdown of the master and its workers
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
