"""The app's pages in menu order: one entry each, used by the navigation and the home page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageEntry:
    script: str
    title: str
    icon: str
    url_path: str
    blurb: str


# Not "pages/": Streamlit treats a folder of that name as an old-style multipage app until st.navigation
# has run once, so the first visitor after a restart who follows a deep link would get the bare page
# without this app's navigation (tests/e2e/test_navigation.py).
PAGE_DIR = "app_pages"

CATALOGUE: tuple[PageEntry, ...] = (
    PageEntry(
        "convolution.py",
        "Convolution",
        "🔲",
        "convolution",
        "how one layer turns an $n \\times n$ input into an $\\lfloor (n + 2p - f)/s \\rfloor + 1$ "
        "output: the filter sliding, padding, stride, pooling, 1x1 convolutions, edge detectors on "
        "your own photo.",
    ),
    PageEntry(
        "architectures.py",
        "Architectures",
        "🏛️",
        "architectures",
        "LeNet-5, AlexNet, VGG, ResNet-50 and Inception as real Keras models: where every parameter "
        "and multiply-add goes, residual and inception blocks drawn, your own network checked.",
    ),
    PageEntry(
        "activations.py",
        "Activations",
        "🔬",
        "activations",
        "what a trained network computes on your image: feature maps, the patches that excite a "
        "unit, receptive fields, Grad-CAM, 10-crop testing and ensembles.",
    ),
    PageEntry(
        "detection.py",
        "Object detection",
        "🎯",
        "detection",
        "a real YOLOv3-tiny on your photo, with the grid, anchors, thresholds and non-max "
        "suppression replayed step by step; localization targets, sliding windows and R-CNN proposals.",
    ),
    PageEntry(
        "faces.py",
        "Face verification",
        "🙂",
        "faces",
        "detect, align and embed faces; 68 landmarks, one-shot recognition with a gallery, Siamese "
        "networks, the triplet loss and verification as binary classification on real embeddings.",
    ),
    PageEntry(
        "style_transfer.py",
        "Style transfer",
        "🎨",
        "style-transfer",
        "content and style costs with Gram matrices, optimised live, plus fast feed-forward "
        "stylisers for the classroom.",
    ),
    PageEntry(
        "training.py",
        "Training",
        "🏋️",
        "training",
        "transfer learning on your own photos in the course's three regimes, data augmentation with "
        "PCA colour, and plain versus residual networks trained live.",
    ),
)


def script_path(entry: PageEntry) -> str:
    """Path of the page's script relative to app.py."""
    return f"{PAGE_DIR}/{entry.script}"
