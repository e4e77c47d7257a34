"""The Landmarks tab: face-api's 68 points on the faces of photo A or B, MTCNN's 5 beside them, and how
the eyes set the alignment."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import streamlit as st

from app_support.faces.cache import found_faces, landmark_net
from app_support.faces.landmark_plots import draw_photo, draw_zoom
from app_support.faces.photos import Photos
from app_support.shared.ui import show_error
from app_support.shared.url import IN_URL
from app_support.shared.visitor_cache import fingerprint, session_memo
from cnn_core.errors import CNNLabError
from cnn_core.faces.detect import MIN_FACE_PX
from cnn_core.faces.landmark_geometry import EyeAlignment, eye_alignment, region_of
from cnn_core.faces.landmarks import NET_SIZE, POINTS, FaceLandmarks, face_landmarks
from cnn_core.images import WORKING_SIDE

#: entries of ŷ written out at each end of the vector
SHOWN = 6
LEAD = (
    "**Landmark detection**: a CNN whose last layer outputs the coordinates of chosen points instead of a "
    f"class: here face-api's network gives the (x, y) of {POINTS} points of a face, {2 * POINTS} numbers."
)
MORE = (
    "Every number means the same point in every training example (point 37 is always the outer corner of "
    "the eye on the image's left: the iBUG 300-W markup, jaw 1–17, eyebrows 18–27, nose 28–36, eyes "
    "37–48, lips 49–68), and the last layer is a regression output per coordinate (trained, as in the "
    "course, on the error of the coordinates). The course's example "
    "has 64 points and a *face?* unit, 1 + 2·64 = 129 outputs; here MTCNN has already answered *face?*. "
    f"The network (356,840 parameters, four densely connected blocks of depthwise-separable convolutions) "
    f"reads each MTCNN face box padded with black to a square and resized to {NET_SIZE}x{NET_SIZE}; its "
    "outputs, fractions of that square, are mapped back to the photo's pixels."
)


def landmarks_section(photos: Photos) -> None:
    """Photo and face choice, the enlarged face with its points, the vector ŷ, the eyes and alignment."""
    st.markdown(LEAD)
    with st.expander("The output vector and the network"):
        st.markdown(MORE)
    if not photos.pictures:
        st.info("Choose photo A or B above (a sample, an upload or the camera) to see its landmarks.")
        return
    which, face_column, toggles = st.columns([2, 3, 2], vertical_alignment="bottom")
    label = which.radio("Photo", list(photos.pictures), horizontal=True, key="faces_lm_photo", bind=IN_URL)
    numbers = toggles.toggle("Number the points", value=True, key="faces_lm_numbers", bind=IN_URL)
    mtcnn = toggles.toggle("MTCNN's 5 points", value=True, key="faces_lm_mtcnn", bind=IN_URL)
    picture = photos.pictures[label]
    image, tag = picture.pixels, fingerprint(picture.pixels)
    try:
        found = session_memo(
            "faces",
            ("landmarks", tag),
            lambda: face_landmarks(image, landmark_net(), found_faces(image, sample=picture.sample)),
        )
    except CNNLabError as err:
        show_error(err)
        return
    with face_column:
        chosen = _choose_face(found, photos, label)
    item = found[chosen]
    left, right = st.columns(2)
    with left:
        zoom, scale = draw_zoom(image, item, numbers=numbers, mtcnn=mtcnn)
        st.image(zoom, caption=_caption(label, found, chosen, numbers, mtcnn, scale), width="stretch")
    with right:
        _vector(label, item)
    alignment = eye_alignment(item.points, item.face.landmarks)
    with st.expander("How the alignment uses the eyes", expanded=True):
        _eyes(alignment)
    whole, seen = st.columns([3, 2])
    height, width = image.shape[:2]
    whole.image(
        draw_photo(image, found, chosen),
        caption=f"The whole photo ({width}x{height} px): {len(found)} face(s), each with its box, MTCNN's 5 "
        f"points (yellow) and its 68 points (face #{chosen + 1} in red).",
        width="stretch",
    )
    crop = item.crop
    seen.image(
        np.clip(np.rint(item.seen), 0, 255).astype(np.uint8).repeat(2, axis=0).repeat(2, axis=1),
        caption=f"What the network saw: face #{chosen + 1}'s {crop.width}x{crop.height} box padded with "
        f"black to {crop.side}x{crop.side}, resized to {NET_SIZE}x{NET_SIZE} (shown twice as large).",
        width=2 * NET_SIZE,
    )


def _choose_face(found: list[FaceLandmarks], photos: Photos, label: str) -> int:
    """The face to enlarge: a choice when there are several (in the URL), defaulting to the one chosen
    above."""
    if len(found) == 1:
        st.caption(f"One face in {label}.")
        return 0
    above = photos.faces.get(label)
    default = above.index if above else max(range(len(found)), key=lambda i: found[i].face.size)
    return st.radio(
        f"{len(found)} faces in {label}: which one to enlarge?",
        range(len(found)),
        index=default,
        format_func=lambda i: (
            f"#{i + 1} · {found[i].face.size:.0f} px"
            + (" (small: rough)" if found[i].face.size < MIN_FACE_PX else "")
        ),
        horizontal=True,
        key="faces_lm_face",
        bind=IN_URL,
    )


def _caption(
    label: str, found: list[FaceLandmarks], chosen: int, numbers: bool, mtcnn: bool, scale: float
) -> str:
    size = found[chosen].face.size
    shown = ["its 68 points in red" + (", numbered 1–68" if numbers else "")]
    if mtcnn:
        shown.append("MTCNN's 5 points as cyan rings")
    return (
        f"{label}, face #{chosen + 1} of {len(found)} ({size:.0f} px): {' and '.join(shown)}; enlarged "
        f"{scale:.1f}x from the photo's pixels."
    )


def _points_table(item: FaceLandmarks) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "point": np.arange(1, POINTS + 1),
            "region": [region_of(k) for k in range(1, POINTS + 1)],
            "x": item.points[:, 0].round(1),
            "y": item.points[:, 1].round(1),
        }
    )


def _vector(label: str, item: FaceLandmarks) -> None:
    """ŷ as the course writes it (both ends), the table of points, and downloads."""
    vector = item.vector
    head = ", ".join(f"{v:.1f}" for v in vector[:SHOWN])
    tail = ", ".join(f"{v:.1f}" for v in vector[-2:])
    st.markdown(
        f"The network's output for this face, {vector.size} numbers in the photo's pixels:\n\n"
        f"ŷ = (l₁ₓ, l₁ᵧ, l₂ₓ, l₂ᵧ, l₃ₓ, l₃ᵧ, …, l₆₈ₓ, l₆₈ᵧ)\n\n= ({head}, …, {tail})"
    )
    st.caption(
        f"Pixels of the photo as shown above (an upload longer than {WORKING_SIDE:,} px is worked on at "
        f"{WORKING_SIDE:,} px); downloads hold the same numbers."
    )
    table = _points_table(item)
    pixels = st.column_config.NumberColumn(format="%.1f")
    st.dataframe(table, hide_index=True, height=240, column_config={"x": pixels, "y": pixels})
    stem = f"landmarks_{label.split()[-1].lower()}_face{item.index + 1}"
    payload = {"photo": label, "face": item.index + 1, **item.as_dict(), "vector": vector.round(2).tolist()}
    csv_col, json_col = st.columns(2)
    csv_col.download_button(
        "Download CSV", table.to_csv(index=False), f"{stem}.csv", mime="text/csv", key="faces_lm_csv"
    )
    json_col.download_button(
        "Download JSON",
        json.dumps(payload, indent=1),
        f"{stem}.json",
        mime="application/json",
        key="faces_lm_json",
    )


def _eyes(alignment: EyeAlignment) -> None:
    """The tilt of the eye line from the 68 points and from MTCNN, and the rotation and scale of the crop."""
    st.markdown(
        "The embedding network reads faces rotated so that the eyes are level and scaled onto dlib's "
        "template (150x150 crop). With e_L, e_R the eye centres (for the 68 points: the mean of points "
        "37–42 and of 43–48):"
    )
    st.latex(
        r"\begin{gathered}\alpha = \operatorname{atan2}(e_{R,y} - e_{L,y},\; e_{R,x} - e_{L,x})\\"
        r"\theta = -\alpha\end{gathered}"
    )
    st.latex(
        r"s \approx \frac{\lVert e_R - e_L \rVert_{\text{template}}}{\lVert e_R - e_L \rVert_{\text{photo}}}"
    )
    cells = st.columns(4)
    cells[0].metric("α from the 68 points", f"{alignment.tilt_68:+.1f}°")
    cells[1].metric("α from MTCNN's eyes", f"{alignment.tilt_mtcnn:+.1f}°")
    cells[2].metric("rotation θ applied", f"{alignment.rotation:+.1f}°")
    cells[3].metric("scale s applied", f"{alignment.scale:.3f}")
    gaps = alignment.eye_gaps
    st.caption(
        f"Eye distance: {alignment.eye_distance_68:.1f} px (68 points) and "
        f"{alignment.eye_distance_mtcnn:.1f} px (MTCNN); the template's is "
        f"{alignment.template_eye_distance:.1f} px, so the eyes alone would give "
        f"s = {alignment.eyes_only_scale:.3f}. The applied s fits all 5 MTCNN points by least squares. "
        f"MTCNN's eye points lie {gaps[0]:.1f} and {gaps[1]:.1f} px from the 68-point eye centres. A "
        "positive α means the eye on the image's right is lower; the alignment turns the photo by θ = −α "
        "(from MTCNN's eyes, which the page's pipeline uses)."
    )
