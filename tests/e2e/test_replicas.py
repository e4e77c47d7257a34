"""Two app replicas behind Debian's nginx, configured from deploy/nginx.conf.template: a small class runs
through it without errors or leaks, both replicas get students, and every request of a browser that
carries the replica cookie (pages, the websocket, uploads, media) reaches the replica the cookie names."""

from __future__ import annotations

import getpass
import os
import re
import subprocess
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from string import Template

import pytest

from benchmarks.classroom import INTERACTIONS, run_class
from tests.e2e.conftest import ROOT, _free_port, _wait_healthy, streamlit_server

pytestmark = pytest.mark.e2e
NGINX = "/usr/sbin/nginx"
STUDENTS = 3
SCREENSHOTS = Path(os.environ.get("E2E_SCREENSHOTS", "/tmp"))  # a failed student's screen
LOG_LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) '
    r"upstream=(?P<upstream>\S*) cookie=(?P<cookie>\S*)$"
)


def _main_config(prefix: Path, site: Path) -> str:
    """nginx's main file around the site: writable temp folders in ``prefix``; the workers run as this
    user (nginx ignores ``user`` when not started as root)."""
    temp = "\n".join(
        f"    {kind}_temp_path {prefix / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = f"user {getpass.getuser()};\nworker_processes 1;\nevents {{}}\n"
    return f"{main}http {{\n{temp}\n    include {site};\n}}\n"


@contextmanager
def nginx(prefix: Path, replicas: list[str]) -> Iterator[tuple[str, Path]]:
    """Debian's nginx in front of ``replicas`` (their URLs) on a free port; yields its URL and access log."""
    port, log = _free_port(), prefix / "access.log"
    site = prefix / "cnnlab.conf"
    site.write_text(
        Template((ROOT / "deploy" / "nginx.conf.template").read_text()).safe_substitute(
            LISTEN=f"127.0.0.1:{port}",
            REPLICA_1=replicas[0].removeprefix("http://"),
            REPLICA_2=replicas[1].removeprefix("http://"),
            ACCESS_LOG=str(log),
        )
    )
    config = prefix / "nginx.conf"
    config.write_text(_main_config(prefix, site))
    process = subprocess.Popen(
        [
            NGINX,
            "-p",
            str(prefix),
            "-c",
            str(config),
            "-e",
            "stderr",
            "-g",
            f"daemon off; pid {prefix}/nginx.pid;",
        ],
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process, timeout_s=30)
        yield url, log
    finally:
        process.terminate()
        _, errors = process.communicate(timeout=10)
        print(errors)


def _requests(log: Path) -> list[dict[str, str]]:
    """The access log's requests: method, path, status, upstream and cookie ("" where nginx wrote "-")."""
    lines = [match.groupdict() for line in log.read_text().splitlines() if (match := LOG_LINE.search(line))]
    return [{key: "" if value == "-" else value for key, value in line.items()} for line in lines]


def test_a_class_through_nginx_sticks_to_its_replicas(tmp_path):
    if not os.access(NGINX, os.X_OK):
        pytest.fail(f"{NGINX} is missing: run scripts/install_system_deps.sh --browser")
    with (
        streamlit_server() as first,
        streamlit_server() as second,
        nginx(tmp_path, [first, second]) as (url, log),
    ):
        with urllib.request.urlopen(f"{url}/_stcore/health") as response:
            cookies = response.headers.get_all("Set-Cookie")
        assert any(c.startswith("cnnlab_replica=127.0.0.1:") for c in cookies)  # a newcomer is pinned at once
        report = run_class(url, STUDENTS, shots=SCREENSHOTS)
    assert not report.errors, report.errors
    assert not report.leaks, report.leaks
    assert all(len(report.seconds[name]) == STUDENTS for name in INTERACTIONS), report.table()

    requests = _requests(log)
    replicas = {first.removeprefix("http://"), second.removeprefix("http://")}
    pinned = [r for r in requests if r["cookie"]]
    assert pinned and all(r["upstream"] == r["cookie"] for r in pinned), [
        r for r in pinned if r["upstream"] != r["cookie"]
    ]
    sockets = [r for r in requests if r["path"].startswith("/_stcore/stream")]
    assert len(sockets) >= 3 * STUDENTS and all(r["cookie"] for r in sockets)  # three pages per student
    assert {r["upstream"] for r in sockets} == replicas  # both replicas have sessions
    uploads = [r for r in pinned if r["path"].startswith("/_stcore/upload_file") and r["method"] == "PUT"]
    assert len(uploads) >= 4 * STUDENTS  # photo, face A, face B, style photo: each on its session's replica
