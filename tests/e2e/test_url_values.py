"""The worst links of issue 15 in a real Chromium: no exception box, a notice naming what was not used,
and the server's memory stays where it was (before, one pooling link took it from 2.0 to 3.7 GB)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from playwright.sync_api import expect

from tests.e2e.conftest import assert_no_exception

#: the course's stack on a 1000x1000 input with 10⁶ units in its first fully connected layer: 247·247·16
#: inputs x 10⁶ units ≈ 976 billion weights, 3.9 TB had Keras built them
BUILDER_BOMB = {"arch_tab": "Build your own", "arch_in_H": 1000, "arch_in_W": 1000, "arch_l5_size": 10**6}
#: the links that allocated, crashed or were silently reset, with a text each shows once handled
WORST_LINKS = {
    "convolution?conv_tab=Pooling&pool_f=1000000000&pool_s=-3&pool_mode=median": "f must be ≤ 1,000,000",
    "convolution?conv_tab=Pooling&pool_f=15000": "the filter spans 15000 pixels",
    "convolution?conv_tab=Calculator&conv_n_h=NaN&conv_f=Infinity&conv_s=-Infinity": "not a finite number",
    "architectures?tab=1x1+bottleneck&b_H=99999999999999999999999": "?arch_b_height=",
    "architectures?" + urlencode(BUILDER_BOMB): "the builder allows 20,000,000",
    "convolution?" + urlencode({"conv_tab": "Calculator", "conv_n_h": "9" * 50_000}): "50,000 characters",
    "style_transfer?st_size=1000000&st_steps=1e30": "?st_steps=",
}
#: the same pages and tabs with valid values, opened first so that every module they import is loaded
WARM_UP = (
    "convolution?conv_tab=Pooling",
    "architectures?arch_tab=1x1+bottleneck",
    "architectures?arch_tab=Build+your+own",
    "style_transfer",
)
#: how much the server's peak memory may grow over all the links (a 15000² float64 kernel is 1.8 GB)
GROWTH_LIMIT_KIB = 256 * 1024


def _memory_kib(pid: int) -> dict[str, int]:
    """VmRSS (now) and VmHWM (peak so far) of process ``pid``, in KiB, from /proc/<pid>/status."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines())
    return {name: int(fields[name].split()[0]) for name in ("VmRSS", "VmHWM")}


def test_the_worst_links_show_messages_and_leave_the_servers_memory_alone(app_page, app_server_pid):
    for link in WARM_UP:
        app_page(link).close()
    before = _memory_kib(app_server_pid)
    for link, text in WORST_LINKS.items():
        page = app_page(link)
        assert_no_exception(page)
        expect(page.get_by_text(text, exact=False).first).to_be_visible()
        page.close()
    after = _memory_kib(app_server_pid)
    assert after["VmHWM"] - before["VmHWM"] < GROWTH_LIMIT_KIB, (before, after)
    assert after["VmRSS"] - before["VmRSS"] < GROWTH_LIMIT_KIB, (before, after)
