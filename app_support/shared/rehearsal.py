"""A rehearsal before the first student: the warm-up's last step visits every page once, as a student would.

Loading the models is not all a page's first visit in a process pays. It also imports the page's own
modules, computes what its default view shows of the shipped samples (into the server-wide caches),
draws its first fonts and figures, and Streamlit checks once, on the first element any page draws,
whether it runs in a Python shell (reading the source of every frame on the stack, ~0.12 s). On a fresh
server with every model loaded, a websocket visitor's first run of Activations took 473 ms and its second
41 ms; Training 422 / 39 ms, Face verification 255 / 56 ms, the home page 151 / 7 ms (2-core CPU).
``rehearse_every_page`` pays all of it before anyone comes, through the server's own socket, with the
same client the classroom benchmark uses (``streamlit_client``); a page whose visit shows an exception
makes it fail, so the server's log names a broken page before a student meets it.
"""

from __future__ import annotations

import asyncio
import logging
import time

import requests
import streamlit as st

from app_support.shared.catalogue import CATALOGUE
from app_support.shared.streamlit_client import StreamlitVisitor

log = logging.getLogger(__name__)

#: the url paths of the pages a student can open: the home page ("") and the catalogue's
EVERY_PAGE: tuple[str, ...] = ("", *(entry.url_path for entry in CATALOGUE))
#: how long to wait for the server to answer its health check before giving up
ANSWER_TIMEOUT_S = 60.0


def local_url(address: str, port: int, base_path: str) -> str:
    """The URL of a server listening on ``address`` (any, when empty or a wildcard) and ``port``, under
    ``base_path``, as a client on the same machine reaches it."""
    if address in ("", "0.0.0.0", "::"):
        address = "127.0.0.1"
    host = f"[{address}]" if ":" in address else address
    base = base_path.strip("/")
    return f"http://{host}:{port}" + (f"/{base}" if base else "")


def wait_until_answering(url: str, timeout_s: float = ANSWER_TIMEOUT_S) -> None:
    """Return once the server at ``url`` answers its health check; TimeoutError after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            if requests.get(f"{url}/_stcore/health", timeout=5).ok:
                return
        except requests.ConnectionError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"{url} did not answer in {timeout_s:.0f} s")
        time.sleep(0.2)


async def visit(url: str, page: str) -> StreamlitVisitor:
    """Open ``page`` (a url path) of the server at ``url`` in a fresh session, let its first run finish,
    close it; the visitor tells what the run showed (``errors``) and how long it took (``server_s``)."""
    visitor = StreamlitVisitor(url, page)
    try:
        await visitor.open()
    finally:
        await visitor.close()
    return visitor


async def visit_every_page(url: str, pages: tuple[str, ...] = EVERY_PAGE) -> None:
    """Visit ``pages`` one after another; RuntimeError naming each page that showed an exception."""
    failures = []
    for page in pages:
        errors = (await visit(url, page)).errors
        if errors:
            failures.append(f"{page or 'home'}: {errors[0]}")
    if failures:
        raise RuntimeError("; ".join(failures))


def rehearse_every_page() -> None:
    """Visit every page of this process's server once (after its models are loaded). A server behind TLS
    (``server.sslCertFile``) is not rehearsed: its first visitors pay the first visits."""
    if st.get_option("server.sslCertFile"):
        log.info("no rehearsal visit: the server speaks TLS")
        return
    url = local_url(
        st.get_option("server.address") or "",
        st.get_option("server.port"),
        st.get_option("server.baseUrlPath") or "",
    )
    wait_until_answering(url)
    asyncio.run(visit_every_page(url))
