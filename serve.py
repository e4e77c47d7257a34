"""The app's server: ``python serve.py [streamlit options]`` is ``streamlit run app.py`` that starts
loading every page's models the moment it starts (app_support.shared.warmup), before the first visit,
and frees what closed tabs leave behind (app_support.shared.session_janitor), down to returning the
memory to the system."""

import ctypes
import ctypes.util
import os
import sys
import threading
import time

import streamlit as st
from streamlit import runtime
from streamlit.web import cli

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
    quiet_tensorflow()  # before the warm-up imports TensorFlow
    threading.Thread(target=warm_up_once_serving, name="cnn-lab-warm-up-start", daemon=True).start()
    threading.Thread(target=release_closed_sessions, name="cnn-lab-release-sessions", daemon=True).start()
    sys.argv = ["streamlit", "run", "app.py", *sys.argv[1:]]
    sys.exit(cli.main())
