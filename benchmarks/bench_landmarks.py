"""Landmarks tab figures: loading face-api's 68-point network, the network alone (1 and 8 faces), and the
whole chain per photo (MTCNN detection + crop/pad/resize + network + mapping back).

Run: .venv/bin/python -m benchmarks.bench_landmarks   (prints figures; asserts nothing)
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks.timing import median_ms

REPEATS = 5


def main() -> None:
    from cnn_core.faces.detect import detect_faces
    from cnn_core.faces.landmarks import NET_SIZE, face_landmarks, load_landmark_net, run_net
    from cnn_core.faces.mtcnn_nets import load_mtcnn_nets
    from cnn_core.images import sample_image

    start = time.perf_counter()
    net = load_landmark_net()
    print(f"load landmark network (build + weights): {(time.perf_counter() - start) * 1000:.0f} ms")
    load_mtcnn_nets()
    for count in (1, 8):
        batch = np.random.default_rng(0).uniform(0, 255, (count, NET_SIZE, NET_SIZE, 3)).astype(np.float32)
        print(f"network alone, {count} face(s): {median_ms(lambda b=batch: run_net(net, b), REPEATS):.1f} ms")

    print(f"\nper photo, median of {REPEATS} (ms)")
    print("{:<14} {:>9} {:>5} {:>7} {:>10}".format("photo", "size", "faces", "detect", "landmarks"))
    for name in ("astronaut", "camera", "grace_hopper"):
        photo = sample_image(name)
        detection = detect_faces(photo)
        detect_ms = median_ms(lambda p=photo: detect_faces(p), REPEATS)
        marks_ms = median_ms(lambda p=photo, d=detection: face_landmarks(p, net, d), REPEATS)
        size = f"{photo.shape[1]}x{photo.shape[0]}"
        print(f"{name:<14} {size:>9} {len(detection.faces):>5} {detect_ms:>7.0f} {marks_ms:>10.1f}")


if __name__ == "__main__":
    main()
