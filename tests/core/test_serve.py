"""What serve.py changes in Streamlit's server: connections without Nagle's delay, and no Keras reset after
every script run. Each test puts Streamlit back as it found it."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import keras
from streamlit.runtime.scriptrunner import script_runner
from streamlit.web.server.starlette import starlette_server

import serve


def test_an_accepted_connection_sends_without_nagles_delay(monkeypatch):
    monkeypatch.setattr(starlette_server, "_bind_socket", starlette_server._bind_socket)
    unpatched = starlette_server._bind_socket("127.0.0.1", 0, 4)
    with unpatched, socket.create_connection(unpatched.getsockname()):
        unpatched.setblocking(True)
        accepted, _ = unpatched.accept()
        with accepted:  # the defect: Streamlit's own socket leaves Nagle on
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0

    serve.send_without_delay()
    listening = starlette_server._bind_socket("127.0.0.1", 0, 4)
    with listening, socket.create_connection(listening.getsockname()):
        listening.setblocking(True)
        accepted, _ = listening.accept()
        with accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


def test_a_script_run_ends_without_resetting_keras(monkeypatch):
    resets = []
    monkeypatch.setattr(keras.backend, "clear_session", lambda *args, **kwargs: resets.append(1))
    monkeypatch.setattr(script_runner, "_clean_problem_modules", script_runner._clean_problem_modules)
    script_runner._clean_problem_modules()
    assert resets == [1]  # what Streamlit does after every run while Keras is imported

    serve.keep_keras_between_runs()
    script_runner._clean_problem_modules()
    assert resets == [1]


def test_no_app_module_draws_with_pyplot():
    """The other module Streamlit resets after a run is pyplot: serve.py may skip the reset only while the
    app never opens pyplot figures."""
    root = Path(serve.__file__).parent
    sources = [
        *root.glob("app_pages/*.py"),
        *root.glob("app_support/**/*.py"),
        *root.glob("cnn_core/**/*.py"),
    ]
    imports_pyplot = re.compile(r"import matplotlib\.pyplot|from matplotlib import pyplot")
    assert sources
    assert not [path for path in sources if imports_pyplot.search(path.read_text())]
