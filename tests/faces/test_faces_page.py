"""AppTest of the faces page: two uploads → verdict, enrol two people → identify, no-face and bad files."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cnn_core.faces.gallery import FORMAT, MODEL, VERSION, gallery_to_json
from cnn_core.images import encode_png, sample_image
from tests.apptest import PAGES, url_param

PAGE = str(PAGES / "faces.py")
TIMEOUT = 300
#: a name that Markdown would show as bold text, a live link, red text and a formula
HOSTILE = "**Bob** [x](http://e.com) :red[hi] $x^2$"
#: the same name as Markdown must receive it to show it literally: the punctuation backslash-escaped, and a
#: WORD JOINER (U+2060) after each ":" so that neither the bare link "http://" nor ":red[" can start
HOSTILE_LITERAL = r"\*\*Bob\*\* \[x\](http:" + "\u2060" + r"//e.com) :" + "\u2060" + r"red\[hi\] \$x^2\$"


@pytest.fixture(scope="module")
def pngs() -> dict[str, bytes]:
    astronaut = sample_image("astronaut")
    return {
        "astronaut": encode_png(astronaut),
        "astronaut_flipped": encode_png(np.ascontiguousarray(astronaut[:, ::-1])),
        "hopper": encode_png(sample_image("grace_hopper")),
        "coffee": encode_png(sample_image("coffee")),
        "group": encode_png(_group()),
    }


def _group() -> np.ndarray:
    """Three real portraits side by side (the astronaut, Grace Hopper, the cameraman): faces of 91, 160
    and 59 px."""
    hopper = cv2.resize(sample_image("grace_hopper"), (427, 512), interpolation=cv2.INTER_AREA)
    return np.concatenate([sample_image("astronaut"), hopper, sample_image("camera")], axis=1)


def _page(**query: str) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=TIMEOUT)
    for name, value in query.items():
        at.query_params[name] = value
    return at.run()


def _upload(at: AppTest, side: str, name: str, data: bytes) -> AppTest:
    at.radio(key=f"faces_{side}_source").set_value("Upload").run()
    at.file_uploader(key=f"faces_{side}_upload").set_value((f"{name}.png", data, "image/png"))
    return at.run()


def _open_tab(at: AppTest, label: str) -> AppTest:
    """Switch the URL-bound tabs (the widget state and the query parameter must agree)."""
    at.session_state["faces_tab"] = label
    at.query_params["faces_tab"] = label
    return at.run()


def _texts(elements) -> list[str]:
    return [e.value for e in elements]


def test_default_samples_show_faces_and_a_verdict():
    at = _page()
    assert not at.exception
    assert any("Privacy" in text for text in _texts(at.info))
    # the astronaut's portrait: MTCNN's second, 28-px "face" at p = 0.85 is shown but needs no choice
    assert not any("faces found" in text for text in _texts(at.info))
    assert not any(r.key.startswith("faces_a_face") for r in at.radio)
    assert "MTCNN: 2 face(s)" in _image_captions(at)
    left_out = "Left out: #2 (28 px, p = 0.85); a second face needs ≥ 35%"
    assert any(c.value.startswith(left_out) for c in at.caption)
    assert any(text.startswith("**Different people** (d = 0.8") for text in _texts(at.warning))
    assert [t.label for t in at.tabs][:5] == [
        "One-shot recognition (1:K)",
        "Embedding space",
        "Triplet loss",
        "Siamese network",
        "Binary classification",
    ]


def test_the_samples_faces_are_found_once_for_every_visitor_and_an_uploads_in_its_session(monkeypatch, pngs):
    from app_support.faces import cache

    calls: list[tuple[int, ...]] = []
    find = cache.detect_faces

    def counted(image, **kwargs):
        calls.append(image.shape)
        return find(image, **kwargs)

    monkeypatch.setattr(cache, "detect_faces", counted)
    _page()  # a first visitor: the samples' faces are found now, unless an earlier test found them
    calls.clear()
    second = _page()  # another visitor opens the page
    assert not second.exception and calls == []
    _upload(second, "a", "astronaut", pngs["astronaut"])
    assert calls == [sample_image("astronaut").shape]  # their own photo: found for them
    third = _page()
    _upload(third, "a", "astronaut", pngs["astronaut"])
    assert len(calls) == 2  # the same upload by another visitor is not shared with them


def test_a_group_photo_offers_its_faces(pngs):
    at = _page()
    _upload(at, "a", "group", pngs["group"])
    assert not at.exception and not at.error
    assert "3 faces found in Photo A: choose the one to compare." in _texts(at.info)
    chooser = at.radio(key="faces_a_face")
    assert url_param(chooser) == "faces_a_face"
    assert len(chooser.options) == 3 and chooser.value == 1  # the largest face, Grace Hopper's (#2)
    chooser.set_value(0).run()  # the astronaut: the same person as in photo A's default sample
    assert not at.exception
    captions = _image_captions(at)
    assert "A: face #1" in captions


def test_two_uploads_same_person_then_tau(pngs):
    at = _page()
    _upload(at, "a", "astronaut", pngs["astronaut"])
    _upload(at, "b", "flipped", pngs["astronaut_flipped"])
    assert not at.exception and not at.error
    assert any(text.startswith("**Same person** (d = 0.1") for text in _texts(at.success))
    at.slider(key="faces_tau").set_value(0.15).run()
    assert any("**Different people**" in text for text in _texts(at.warning))


def test_no_face_and_corrupt_file_give_clear_messages(pngs):
    at = _page()
    _upload(at, "a", "coffee", pngs["coffee"])
    assert not at.exception
    assert any("no face found (the detector's best face score was 0." in text for text in _texts(at.error))
    assert any("The verdict needs one usable face in each photo." in text for text in _texts(at.info))
    _upload(at, "b", "junk", b"definitely not a PNG")
    assert any("not an image that can be read" in text for text in _texts(at.error))


def test_enrol_two_people_then_identify_export_and_import(pngs):
    at = _page()
    _upload(at, "g", "hopper", pngs["hopper"])  # the gallery's own photo: photos A and B stay as they are
    at.text_input(key="faces_enrol_name").set_value("Grace").run()
    at.button(key="faces_enrol").click().run()
    assert at.text_input(key="faces_enrol_name").value == ""  # cleared for the next person
    _upload(at, "g", "astronaut", pngs["astronaut"])
    at.text_input(key="faces_enrol_name").set_value("Eileen").run()
    at.button(key="faces_enrol").click().run()
    assert not at.exception and not at.error
    assert at.session_state["faces_gallery"].names == ("Grace", "Eileen")
    assert at.selectbox(key="faces_a_sample").value == "astronaut"
    _upload(at, "b", "flipped", pngs["astronaut_flipped"])
    at.radio(key="faces_identify").set_value("Photo B").run()
    assert any(text.startswith("Photo B is **Eileen**") for text in _texts(at.success))
    at.radio(key="faces_b_source").set_value("Sample").run()  # the cameraman: nobody we know
    assert any("Photo B is **unknown**" in text for text in _texts(at.warning))

    exported = json.loads(gallery_to_json(at.session_state["faces_gallery"]))
    assert [e["name"] for e in exported["entries"]] == ["Grace", "Eileen"]
    at.button(key="faces_clear").click().run()
    at.file_uploader(key="faces_import").set_value(
        ("g.json", json.dumps(exported).encode(), "application/json")
    )
    at.run()
    assert at.session_state["faces_gallery"].names == ("Grace", "Eileen")
    assert any("Imported 2 descriptor(s)." in text for text in _texts(at.success))


def test_embedding_space_and_triplet_tabs():
    at = _page(faces_tab="Triplet loss", faces_alpha="0.3")
    assert not at.exception
    assert at.slider(key="faces_alpha").value == pytest.approx(0.3)
    assert any("needs three faces" in text for text in _texts(at.info))
    _open_tab(at, "One-shot recognition (1:K)")
    at.selectbox(key="faces_g_sample").set_value("astronaut").run()  # photo A's sample
    at.text_input(key="faces_enrol_name").set_value("Eileen").run()
    at.button(key="faces_enrol").click().run()  # enrols the astronaut
    _open_tab(at, "Triplet loss")
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    # items: 1. Eileen (enrolled from photo A), photo A, photo B (the cameraman). Defaults: the anchor,
    # its nearest face (photo A itself, d = 0) and the next nearest (photo B)
    picks = [at.selectbox(key=f"faces_{role}").value for role in ("anchor", "positive", "negative")]
    assert picks == [0, 1, 2]
    assert metrics["d²(A,P)"] == "0.000" and float(metrics["d²(A,N)"]) > 0.5
    assert (metrics["kind"], metrics["loss L"]) == ("easy", "0.000")
    at.selectbox(key="faces_negative").set_value(1).run()  # N = P: the hardest possible "negative"
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["kind"], metrics["loss L"]) == ("hard", "0.300")
    _open_tab(at, "Embedding space")
    assert not at.exception
    assert any(c.value.startswith("PCA keeps") for c in at.caption)


def _gallery_file(entries: dict[str, list[float]]) -> bytes:
    return json.dumps(
        {
            "format": FORMAT,
            "version": VERSION,
            "model": MODEL,
            "entries": [{"name": name, "embedding": vector} for name, vector in entries.items()],
        }
    ).encode()


def test_an_imported_gallery_shows_at_once_with_names_shown_literally():
    at = _page(faces_tau="0.1")
    # Bob at the origin is the nearest to any descriptor: Ann is 10·√128 ≈ 113 away from it
    data = _gallery_file({HOSTILE: [0.0] * 128, "Ann": [10.0] * 128})
    at.file_uploader(key="faces_import").set_value(("g.json", data, "application/json")).run()
    assert not at.exception and not at.error
    assert _texts(at.success) == ["Imported 2 descriptor(s)."]
    assert not any("Enrol at least one person" in text for text in _texts(at.info))
    assert "Export gallery (JSON)" in [button.proto.label for button in at.get("download_button")]
    # the gallery's thumbnails (the verdict's two aligned crops are another list of two images)
    thumbnails = next(image for image in at.get("image") if image.proto.imgs[0].caption.startswith(r"1\. "))
    assert [img.caption for img in thumbnails.proto.imgs] == [r"1\. " + HOSTILE_LITERAL, r"2\. Ann"]
    assert any(f"the nearest, {HOSTILE_LITERAL}, is at d =" in text for text in _texts(at.warning))


def test_an_enrolled_name_is_shown_literally(pngs):
    at = _page()
    _upload(at, "a", "hopper", pngs["hopper"])  # the gallery's default sample is Grace Hopper too
    at.text_input(key="faces_enrol_name").set_value(HOSTILE).run()
    at.button(key="faces_enrol").click().run()
    assert not at.exception and not at.error
    assert _texts(at.toast) == [f"Enrolled {HOSTILE_LITERAL}."]
    assert any(text.startswith(f"Photo A is **{HOSTILE_LITERAL}** (d = 0.000") for text in _texts(at.success))


def test_siamese_tab_draws_both_photos_through_one_network():
    at = _page(faces_tab="Siamese network")
    assert not at.exception and not at.error
    caption = next(c.value for c in at.caption if c.value.startswith("Now: photo A's and photo B's"))
    # the default samples: the astronaut and the cameraman, d ≈ 0.87 (the verdict above says the same)
    assert "d = 0.8" in caption and "> τ = 0.60, so the page says different people" in caption
    assert "5,607,488 weights" in caption  # dlib's ResNet as built by cnn_core.zoo.face_resnet
    assert "Download drawing (PNG)" in [button.proto.label for button in at.get("download_button")]
    assert any("d² ≤ τ², here 0.36 (dlib: 0.6² = 0.36)" in text for text in _texts(at.markdown))


def test_binary_classification_tab_scores_held_out_pairs_and_the_photos():
    at = _page(faces_tab="Binary classification", faces_bin_feature="chi-square", faces_bin_l2="0.1")
    assert not at.exception and not at.error
    assert at.radio(key="faces_bin_feature").value == "chi2"
    assert at.select_slider(key="faces_bin_l2").value == pytest.approx(0.1)
    # the astronaut and the cameraman: different people by both rules
    verdict = next(t for t in _texts(at.markdown) if t.startswith("**Photos A and B**"))
    assert "→ different people (learned)" in verdict and "→ different people (plain rule)" in verdict
    tables = [table.value for table in at.table]
    assert len(tables) == 2 and all(table.to_numpy().sum() == tables[0].to_numpy().sum() for table in tables)
    caption = next(c.value for c in at.caption if c.value.startswith("Now: w and b fit with chi-square"))
    assert "λ = 0.1" in caption and "held-out pairs" in caption
    at.radio(key="faces_bin_feature").set_value("abs").run()
    assert not at.exception
    assert any(c.value.startswith("Now: w and b fit with absolute difference") for c in at.caption)


def _image_captions(at: AppTest) -> list[str]:
    return [img.caption for image in at.get("image") for img in image.proto.imgs]


def test_landmarks_tab_draws_the_68_points_and_the_eyes(pngs):
    at = _page(faces_tab="Landmarks")
    assert not at.exception and not at.error
    chooser = at.radio(key="faces_lm_face")
    # the astronaut's photo: her face and the small one on her suit's badge, hers chosen as above
    assert chooser.label == "2 faces in Photo A: which one to enlarge?" and chooser.value == 0
    assert chooser.options == ["#1 · 89 px", "#2 · 28 px (small: rough)"]
    captions = _image_captions(at)
    assert any(
        c.startswith(
            "Photo A, face #1 of 2 (89 px): its 68 points in red, numbered 1–68 and MTCNN's 5 points as "
            "cyan rings; enlarged"
        )
        for c in captions
    )
    assert any(
        c.startswith("What the network saw: face #1's 89x117 box padded with black to 117x117")
        for c in captions
    )
    assert any("ŷ = (l₁ₓ, l₁ᵧ, l₂ₓ, l₂ᵧ" in text for text in _texts(at.markdown))
    metrics = {m.label: float(m.value.rstrip("°")) for m in at.metric if "°" in m.value}
    # the eye line from the 68 points and from MTCNN: one head tilt, a few degrees; θ = −α (MTCNN's)
    assert abs(metrics["α from the 68 points"] - metrics["α from MTCNN's eyes"]) < 3
    assert metrics["rotation θ applied"] == -metrics["α from MTCNN's eyes"]
    labels = [button.proto.label for button in at.get("download_button")]
    assert "Download CSV" in labels and "Download JSON" in labels
    controls = [
        at.radio(key="faces_lm_photo"),
        at.radio(key="faces_lm_face"),
        at.toggle(key="faces_lm_numbers"),
        at.toggle(key="faces_lm_mtcnn"),
    ]
    assert [url_param(control) for control in controls] == [
        "faces_lm_photo",
        "faces_lm_face",
        "faces_lm_numbers",
        "faces_lm_mtcnn",
    ]

    at.toggle(key="faces_lm_numbers").set_value(False).run()
    at.toggle(key="faces_lm_mtcnn").set_value(False).run()
    assert any(
        c.startswith("Photo A, face #1 of 2 (89 px): its 68 points in red; enlarged")
        for c in _image_captions(at)
    )
    at.radio(key="faces_lm_photo").set_value("Photo B").run()  # the cameraman: one face
    assert not at.exception and not at.error
    assert "One face in Photo B." in [c.value for c in at.caption]
    assert any(c.startswith("Photo B, face #1 of 1") for c in _image_captions(at))

    _upload(at, "a", "coffee", pngs["coffee"])
    at.radio(key="faces_lm_photo").set_value("Photo A").run()
    assert not at.exception
    assert any("no face found (the detector's best face score was 0." in text for text in _texts(at.error))


def test_gallery_enrol_needs_a_name_and_a_person_can_be_removed():
    at = _page()  # the gallery's photo: the Grace Hopper sample
    at.button(key="faces_enrol").click().run()  # no name yet
    assert not at.exception and not at.error
    assert "Type a name for this person first." in _texts(at.warning)
    assert "faces_gallery" not in at.session_state or not len(at.session_state["faces_gallery"])
    for name in ("Grace", "Ada", "Grace H."):
        at.text_input(key="faces_enrol_name").set_value(name).run()
        at.button(key="faces_enrol").click().run()
        assert at.text_input(key="faces_enrol_name").value == ""
    assert at.session_state["faces_gallery"].names == ("Grace", "Ada", "Grace H.")
    assert not any("Type a name" in text for text in _texts(at.warning))
    at.selectbox(key="faces_remove_pick").set_value(1).run()
    at.button(key="faces_remove").click().run()
    assert not at.exception and not at.error
    assert at.session_state["faces_gallery"].names == ("Grace", "Grace H.")
    assert _texts(at.toast) == ["Removed Ada."]
    assert at.selectbox(key="faces_remove_pick").options == ["1. Grace", "2. Grace H."]
