"""The app's server: ``python serve.py [streamlit options]`` is ``streamlit run app.py`` that starts
loading every page's models the moment it starts (app_support.shared.warmup), before the first visit,
and frees what closed tabs leave behind (app_support.shared.session_janitor), down to returning the
memory to the system."""

import ctypes
import ctypes.util
import os
import socket
import sys
import threading
import time

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import script_runner
from streamlit.web import cli
from streamlit.web.server.starlette import starlette_server

from app_support.shared.session_janitor import SessionJanitor, sweep_forgotten_sessions
from app_support.shared.warmup import WARMING
from cnn_core.runtime import quiet_tensorflow

#: seconds between two sweeps of closed tabs' leftovers and returns of freed memory (well under 1 ms each)
SWEEP_EVERY_S = 10.0
#: glibc's mallopt parameter for the most malloc arenas (malloc.h)
M_ARENA_MAX = -8

#: the C library's allocator where it is glibc's (its malloc_trim and mallopt), else None
GLIBC = ctypes.CDLL(ctypes.util.find_library("c"))
if not hasattr(GLIBC, "malloc_trim"):
    GLIBC = None


def wait_for_runtime() -> None:
    """Return once Streamlit's runtime exists (it has read the server's options by then)."""
    while not runtime.exists():
        time.sleep(0.1)


def warm_up_once_serving() -> None:
    """Wait for Streamlit's runtime to exist, then start the warm-up thread (once per process)."""
    wait_for_runtime()
    WARMING.start()


def share_malloc_arenas() -> None:
    """At most one malloc arena per core (glibc's default: eight per core). Every visitor's script run is
    a thread, and memory freed in one thread's arena serves only threads that land on the same arena, so
    with sixteen arenas a class left each of them holding its own peak."""
    if GLIBC is not None:
        GLIBC.mallopt(M_ARENA_MAX, os.cpu_count() or 1)


def send_without_delay() -> None:
    """Turn Nagle's algorithm off on every connection to the app. Streamlit binds its listening socket
    itself with ``socket.socket(family)``, whose protocol number is 0, and asyncio turns Nagle off only on
    sockets whose protocol is TCP's (6), so it stayed on: after a run's first message the rest waited for
    the browser to acknowledge it, and browsers delay an acknowledgement by up to 40 ms (Linux) or 200 ms
    (Windows). Every interaction paid that wait. The listening socket gets ``TCP_NODELAY``, which the
    connections it accepts inherit."""
    bind = starlette_server._bind_socket

    def bind_without_delay(*args, **kwargs) -> socket.socket:
        listening = bind(*args, **kwargs)
        listening.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return listening

    starlette_server._bind_socket = bind_without_delay


def keep_keras_between_runs() -> None:
    """Streamlit ends every script run by resetting "stateful modules": with Keras imported, that is
    ``keras.backend.clear_session()``, a full garbage collection (besides ``runner.postScriptGC``'s, which
    the app's config turns off) and TensorFlow's kernel cache emptied, ~7 ms of every visitor's every
    interaction, holding the GIL (150 ms before the warm-up froze TensorFlow's objects). The reset is for
    scripts that build a model on every run; this app builds each once (``st.cache_resource``) and draws
    with matplotlib's object API, never pyplot (the other module Streamlit resets), so its server skips
    the reset."""
    script_runner._clean_problem_modules = lambda: None


def release_closed_sessions() -> None:
    """Every SWEEP_EVERY_S seconds, free the uploads of sessions Streamlit has forgotten, then give the
    free pages of the C heap back to the system (glibc's ``malloc_trim``), so that what finished sessions
    held leaves the server's resident size."""
    wait_for_runtime()
    janitor = SessionJanitor(ttl_s=st.get_option("server.disconnectedSessionTTL"))
    while True:
        time.sleep(SWEEP_EVERY_S)
        sweep_forgotten_sessions(janitor, time.monotonic())
        if GLIBC is not None:
            GLIBC.malloc_trim(0)


if __name__ == "__main__":
    share_malloc_arenas()  # before the threads start
    keep_keras_between_runs()
    send_without_delay()
    quiet_tensorflow()  # before the warm-up imports TensorFlow
    threading.Thread(target=warm_up_once_serving, name="cnn-lab-warm-up-start", daemon=True).start()
    threading.Thread(target=release_closed_sessions, name="cnn-lab-release-sessions", daemon=True).start()
    sys.argv = ["streamlit", "run", "app.py", *sys.argv[1:]]
    sys.exit(cli.main())
