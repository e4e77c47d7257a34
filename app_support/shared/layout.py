"""The house layout for a live lecture: controls beside the result they change, results no taller than the
screen, photos that are only inputs shown as thumbnails, explanations folded away.

At a projector's 1280x720 a page has about 600 px under the browser's bars. A result drawn under its
controls and under a paragraph of prose starts below that fold, and the teacher scrolls between moving a
slider and showing what it did. So every page draws its main result with ``controls_and_result()``: two
columns, controls left, result right (on a phone Streamlit stacks them, controls first); images and charts
are capped to the viewport's height by the house style sheet (``HOUSE_CSS``); a photo the user chose is
shown with ``thumbnail()`` where the photo itself is not the result; and prose is inside ``explanation()``.
"""

from __future__ import annotations

import numpy as np
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from cnn_core.images import fit_width

#: height of a thumbnail in CSS pixels: small enough that two fit beside a column of controls
THUMBNAIL_HEIGHT = 150

#: share of the width the controls get beside the result (controls : result)
CONTROLS_TO_RESULT = (2, 3)

#: the house style sheet, injected once per run by ``house_style()``
HOUSE_CSS = """
<style>
/* A compact top: the page's title sits just under the browser's bar, not 6rem below it. */
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 3rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.1rem; padding-top: 0; }
/* On a phone Streamlit's 60-px bar covers the top of the page: start the title under it. */
@media (max-width: 640px) {
  [data-testid="stMain"] [data-testid="stMainBlockContainer"] { padding-top: 4rem; }
}
/* Results never taller than the screen: a tall photo is scaled down, not cropped. */
[data-testid="stMainBlockContainer"] [data-testid="stImage"] img { max-height: 78vh; object-fit: contain; }
/* A display formula wider than a phone scrolls inside its own box; the page never scrolls sideways. */
.katex-display { overflow-x: auto; overflow-y: hidden; padding: 0.1rem 0; }
[data-testid="stMarkdownContainer"] { overflow-wrap: anywhere; }
</style>
"""

#: the presenter's style sheet: larger type (Streamlit sizes its text in rem) for the back of a classroom
PRESENTER_CSS = """
<style>
html { font-size: 20px; }
</style>
"""


def house_style(presenter: bool) -> None:
    """Inject the house style sheet, and the presenter's larger type when ``presenter`` is on."""
    st.html(HOUSE_CSS + (PRESENTER_CSS if presenter else ""))


def controls_and_result() -> tuple[DeltaGenerator, DeltaGenerator]:
    """Two columns, controls left and the result right, in the house proportions ``CONTROLS_TO_RESULT``;
    on a narrow screen Streamlit stacks them, controls first."""
    controls, result = st.columns(list(CONTROLS_TO_RESULT), gap="medium")
    return controls, result


def show_at_width(
    pictures: np.ndarray | list[np.ndarray], width: int, caption: str | list[str] | None = None
) -> None:
    """``st.image`` of one picture or a row of them, each shown ``width`` px wide and sent at that width:
    a wider one is shrunk here first (area averaging). Given a wider picture, Streamlit encodes it,
    decodes it again, shrinks it and encodes it once more, on every rerun: ~10 ms for a 1024-px photo
    shown as a thumbnail, 2 ms when shrunk here first."""

    def sent(pixels: np.ndarray) -> np.ndarray:
        return fit_width(pixels, width) if pixels.shape[1] > width else pixels

    shown = [sent(p) for p in pictures] if isinstance(pictures, list) else sent(pictures)
    st.image(shown, caption=caption, width=width)


def thumbnail(pixels: np.ndarray, caption: str | None = None, height: int = THUMBNAIL_HEIGHT) -> None:
    """Show an input photo ``height`` px high, at its own aspect ratio: width = height·W/H."""
    rows, columns = pixels.shape[:2]
    show_at_width(pixels, max(1, round(height * columns / rows)), caption)


def explanation(title: str = "How this works") -> DeltaGenerator:
    """A folded box for the prose around a result: open it to read, closed it costs one line."""
    return st.expander(title, expanded=False)
