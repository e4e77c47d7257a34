"""The rehearsal visit (app_support.shared.rehearsal): the URL it reaches the server at, what it does
when a page shows an exception, and its wait for a server that does not answer. A real server's
visit of every page is the last step of its warm-up, whose line tests/e2e/test_warm_up.py checks."""

from __future__ import annotations

import asyncio
import socket
from types import SimpleNamespace

import pytest

from app_support.shared import rehearsal


@pytest.mark.parametrize(
    ("address", "port", "base", "url"),
    [
        ("", 8501, "", "http://127.0.0.1:8501"),
        ("0.0.0.0", 8501, "/lab/", "http://127.0.0.1:8501/lab"),
        ("::", 80, "", "http://127.0.0.1:80"),
        ("::1", 8501, "", "http://[::1]:8501"),
        ("10.1.2.3", 9000, "course/cnn", "http://10.1.2.3:9000/course/cnn"),
    ],
)
def test_the_server_is_reached_where_it_listens(address, port, base, url):
    assert rehearsal.local_url(address, port, base) == url


def test_every_page_is_visited_and_each_broken_one_is_named(monkeypatch):
    visited = []

    async def visit(url: str, page: str) -> SimpleNamespace:
        visited.append((url, page))
        shown = {"": ["ValueError: home"], "faces": ["KeyError: 'x'", "a second one"]}
        return SimpleNamespace(errors=shown.get(page, []))

    monkeypatch.setattr(rehearsal, "visit", visit)
    with pytest.raises(RuntimeError) as failure:
        asyncio.run(rehearsal.visit_every_page("http://here"))
    assert str(failure.value) == "home: ValueError: home; faces: KeyError: 'x'"
    assert [page for _, page in visited] == list(rehearsal.EVERY_PAGE)
    assert rehearsal.EVERY_PAGE[:2] == ("", "convolution") and "training" in rehearsal.EVERY_PAGE


def test_a_server_that_never_answers_is_given_up_on():
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # bound, never listening: connections are refused
        with pytest.raises(TimeoutError):
            rehearsal.wait_until_answering(f"http://127.0.0.1:{port}", timeout_s=0.5)
