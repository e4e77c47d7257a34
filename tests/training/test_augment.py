"""Each augmentation: output shape, dtype and range; the geometric ones checked against numpy."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.errors import ParameterError
from cnn_core.images import sample_image
from cnn_core.training.augment import MAX_DRAWS, TECHNIQUES, augment_grid, augment_images


@pytest.fixture(scope="module")
def photo():
    return sample_image("astronaut")[::8, ::8]  # (64, 64, 3)


@pytest.mark.parametrize("name", list(TECHNIQUES))
def test_every_technique_keeps_shape_dtype_and_range(photo, name):
    grid = augment_grid(photo, name, 4, seed=3)
    assert grid.shape == (4, *photo.shape) and grid.dtype == np.uint8
    assert not all(np.array_equal(draw, photo) for draw in grid), "nothing changed"
    np.testing.assert_array_equal(grid, augment_grid(photo, name, 4, seed=3))  # seeded


def test_mirror_gives_the_photo_or_its_mirror_image(photo):
    grid = augment_grid(photo, "mirror", 8, seed=0)
    flipped = photo[:, ::-1]
    assert all(np.array_equal(d, photo) or np.array_equal(d, flipped) for d in grid)
    assert any(np.array_equal(d, flipped) for d in grid)


def test_crops_differ_from_image_to_image(photo):
    grid = augment_grid(photo, "crop", 6, seed=1)
    assert len({draw.tobytes() for draw in grid}) > 1


def test_brightness_shifts_all_channels_alike_and_stays_in_range():
    grey = np.full((16, 16, 3), 128, np.uint8)
    out = augment_grid(grey, "brightness", 6, seed=2)
    assert out.min() >= 0 and out.max() <= 255
    for draw in out:
        assert len(np.unique(draw)) == 1  # a uniform picture stays uniform


def test_batches_get_their_own_draws(photo):
    batch = np.stack([photo, photo])
    out = augment_images(batch, "rotation", seed=4)
    assert not np.array_equal(out[0], out[1])


def test_bad_arguments_are_named(photo):
    with pytest.raises(ParameterError, match="unknown augmentation 'blur'"):
        augment_grid(photo, "blur", 2, seed=0)
    with pytest.raises(ParameterError, match=f"number of draws must be in 1..{MAX_DRAWS}, got 0"):
        augment_grid(photo, "mirror", 0, seed=0)
    with pytest.raises(ParameterError, match="images must be \\(N, H, W, 3\\) uint8"):
        augment_images(photo, "mirror", seed=0)
