"""The app's server: ``python serve.py [streamlit options]`` is ``streamlit run app.py`` that starts
loading every page's models the moment it starts (app_support.shared.warmup), before the first visit."""

import sys
import threading
import time

from streamlit import runtime
from streamlit.web import cli

from app_support.shared.warmup import WARMING
from cnn_core.runtime import quiet_tensorflow


def warm_up_once_serving() -> None:
    """Wait for Streamlit's runtime to exist, then start the warm-up thread (once per process)."""
    while not runtime.exists():
        time.sleep(0.1)
    WARMING.start()


if __name__ == "__main__":
    quiet_tensorflow()  # before the warm-up imports TensorFlow
    threading.Thread(target=warm_up_once_serving, name="cnn-lab-warm-up-start", daemon=True).start()
    sys.argv = ["streamlit", "run", "app.py", *sys.argv[1:]]
    sys.exit(cli.main())
