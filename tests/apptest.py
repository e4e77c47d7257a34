"""Open an app page under Streamlit's AppTest, with URL query parameters set first."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

PAGES = Path(__file__).resolve().parents[1] / "app_pages"


def run_page(script: str, timeout_s: float, **query: str) -> AppTest:
    """Run ``app_pages/<script>`` once, as a visitor arriving with ``?name=value&...``."""
    at = AppTest.from_file(str(PAGES / script), default_timeout=timeout_s)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def url_param(widget) -> str:
    """The query parameter a widget bound with ``bind=IN_URL`` mirrors its value in ("" when unbound).

    AppTest has no browser: the browser writes a changed value into the address bar, so a page test checks
    the binding, and the browser tests check the address bar.
    """
    return widget.proto.query_param_key
