"""The app's server: ``python serve.py [streamlit options]`` is ``streamlit run app.py`` plus two threads:
one starts loading every page's models the moment the server starts (app_support.shared.warmup), before
the first visit; the other hands the memory of ended sessions back to the system every TRIM_EVERY_S
seconds (glibc keeps freed blocks of its many per-thread arenas otherwise, so after a class of 30 the
server would stay hundreds of MB above its baseline although nothing holds those blocks any more)."""

import ctypes
import ctypes.util
import sys
import threading
import time

from streamlit import runtime
from streamlit.web import cli

from app_support.shared.warmup import WARMING
from cnn_core.runtime import quiet_tensorflow

TRIM_EVERY_S = 30.0


def trim_freed_memory() -> None:
    """Every TRIM_EVERY_S s, glibc's ``malloc_trim(0)``: return free heap pages to the system."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None or not hasattr(ctypes.CDLL(libc_name), "malloc_trim"):
        return  # not glibc (musl, macOS): nothing to trim
    libc = ctypes.CDLL(libc_name)
    while True:
        time.sleep(TRIM_EVERY_S)
        libc.malloc_trim(0)


def warm_up_once_serving() -> None:
    """Wait for Streamlit's runtime to exist, then start the warm-up thread (once per process)."""
    while not runtime.exists():
        time.sleep(0.1)
    WARMING.start()


if __name__ == "__main__":
    quiet_tensorflow()  # before the warm-up imports TensorFlow
    threading.Thread(target=warm_up_once_serving, name="cnn-lab-warm-up-start", daemon=True).start()
    threading.Thread(target=trim_freed_memory, name="cnn-lab-memory-trim", daemon=True).start()
    sys.argv = ["streamlit", "run", "app.py", *sys.argv[1:]]
    sys.exit(cli.main())
