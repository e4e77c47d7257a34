"""Faces page figures: detection, alignment and embedding per 1-MP photo, a verification pair end to
end, and the mtcnn package's own ``detect_faces`` on the same photos, in one run.

Run: .venv/bin/python -m benchmarks.bench_faces   (prints figures; asserts nothing)
"""

from __future__ import annotations

import time
from pathlib import Path

import cv2
import numpy as np

from benchmarks.timing import median_ms

ROOT = Path(__file__).resolve().parents[1]

REPEATS = 5


def _one_megapixel(image: np.ndarray) -> np.ndarray:
    """Resize (keeping the aspect ratio) to about 1,000,000 pixels."""
    height, width = image.shape[:2]
    factor = (1_000_000 / (height * width)) ** 0.5
    return cv2.resize(image, (round(width * factor), round(height * factor)), interpolation=cv2.INTER_CUBIC)


def _photos() -> dict[str, np.ndarray]:
    from cnn_core.images import sample_image

    hopper = sample_image("grace_hopper")
    astronaut, camera = sample_image("astronaut"), sample_image("camera")
    group = np.concatenate([astronaut, cv2.resize(hopper, (427, 512)), camera], axis=1)  # three faces
    return {
        name: _one_megapixel(image)
        for name, image in {
            "astronaut": astronaut,
            "camera": camera,
            "hopper": hopper,
            "three faces": group,
        }.items()
    }


def main() -> None:
    from mtcnn import MTCNN

    from cnn_core.faces.align import align_face
    from cnn_core.faces.detect import detect_faces, pick_face
    from cnn_core.faces.embed import embed_crops, load_embedder
    from cnn_core.faces.mtcnn_nets import load_mtcnn_nets
    from cnn_core.faces.pipeline import verify_photos

    start = time.perf_counter()
    model = load_embedder()
    print(f"load embedder (build + weights): {(time.perf_counter() - start) * 1000:.0f} ms")
    start = time.perf_counter()
    load_mtcnn_nets()
    print(f"load MTCNN nets (build + weights + trace): {(time.perf_counter() - start) * 1000:.0f} ms")
    reference = MTCNN(device="CPU:0")
    photos = _photos()
    embed_crops(model, np.zeros((150, 150, 3), np.uint8))  # trace the predict function once
    reference.detect_faces(photos["astronaut"])

    print(f"\nper 1-MP photo, median of {REPEATS} (ms)")
    header = ("photo", "size", "faces", "detect", "align", "embed", "mtcnn pkg", "faces")
    print("{:<12} {:>10} {:>5} {:>7} {:>6} {:>6} {:>9} {:>5}".format(*header))
    for name, photo in photos.items():
        detection = detect_faces(photo)
        landmarks = pick_face(detection).landmarks
        crop = align_face(photo, landmarks)
        detect_ms = median_ms(lambda photo=photo: detect_faces(photo), REPEATS)
        align_ms = median_ms(lambda photo=photo, marks=landmarks: align_face(photo, marks), REPEATS)
        embed_ms = median_ms(lambda crop=crop: embed_crops(model, crop), REPEATS)
        package_faces = reference.detect_faces(photo)
        package_ms = median_ms(lambda photo=photo: reference.detect_faces(photo), 3)
        size = f"{photo.shape[1]}x{photo.shape[0]}"
        print(
            f"{name:<12} {size:>10} {len(detection.faces):>5} {detect_ms:>7.0f} {align_ms:>6.1f} "
            f"{embed_ms:>6.0f} {package_ms:>9.0f} {len(package_faces):>5}"
        )

    pair_ms = median_ms(lambda: verify_photos(photos["astronaut"], photos["hopper"], model), REPEATS)
    print(f"\nverification pair end to end (2 x detect + align + embed + distance): {pair_ms:.0f} ms")
    batch = np.stack(
        [align_face(photos["astronaut"], pick_face(detect_faces(photos["astronaut"])).landmarks)] * 8
    )
    print(f"embedding batch of 8 crops: {median_ms(lambda: embed_crops(model, batch), REPEATS):.0f} ms")


if __name__ == "__main__":
    main()
