"""The trainer on hand-made toy data: separable → 100 %, seeded, stoppable, divergence caught."""

from __future__ import annotations

import re

import numpy as np
import pytest

from cnn_core.errors import ParameterError
from cnn_core.training.trainer import Trainer, TrainSettings, cross_entropy, predict


def _toy(seed: int = 0, n: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """Three classes of 4-d points around (±5, 0, 0, 0)-style centres, noise 0.5: separable by hand
    (each point's largest coordinate names its class, with margin > 3)."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 3
    centres = np.eye(4, dtype=np.float32)[labels] * 5.0  # class c sits at 5·e_c
    return (centres + rng.normal(0, 0.5, (n, 4))).astype(np.float32), labels.astype(np.int64)


def _softmax_model(seed: int = 0):
    import keras

    init = keras.initializers.GlorotUniform(seed=seed)
    return keras.Sequential([keras.Input((4,)), keras.layers.Dense(3, "softmax", kernel_initializer=init)])


def _run(settings: TrainSettings, data=None, **kwargs):
    x, y = data if data is not None else _toy()
    model = _softmax_model()
    trainer = Trainer(model, (x[:45], y[:45]), (x[45:], y[45:]), settings, **kwargs)
    records = list(trainer.epochs())
    return model, trainer, records


def test_toy_set_is_separable_by_hand():
    x, y = _toy()
    assert np.array_equal(x.argmax(axis=1), y)  # the reference classifier: largest coordinate


def test_separable_toy_set_reaches_100_percent():
    model, trainer, records = _run(TrainSettings(epochs=15, batch_size=8, learning_rate=0.1))
    x, y = _toy()
    assert np.array_equal(predict(model, x).argmax(axis=1), y)
    assert records[-1].accuracy == 1.0 and records[-1].val_accuracy == 1.0
    assert [r.epoch for r in records] == list(range(1, 16))
    assert trainer.message is None


def test_same_settings_give_the_same_run_bit_for_bit():
    settings = TrainSettings(epochs=3, batch_size=7, learning_rate=0.01, seed=5)
    first, _, records_a = _run(settings)
    second, _, records_b = _run(settings)
    assert [(r.loss, r.val_loss) for r in records_a] == [(r.loss, r.val_loss) for r in records_b]
    for a, b in zip(first.get_weights(), second.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    _, _, other_seed = _run(TrainSettings(epochs=3, batch_size=7, learning_rate=0.01, seed=6))
    assert [r.loss for r in other_seed] != [r.loss for r in records_a]


def test_the_best_epoch_is_kept():
    model, trainer, records = _run(TrainSettings(epochs=6, batch_size=8, learning_rate=0.05))
    best = records[trainer.best_epoch - 1]
    assert best.val_accuracy == max(r.val_accuracy for r in records)
    x, y = _toy()
    probabilities = predict(model, x[45:])
    assert cross_entropy(probabilities, y[45:]) == pytest.approx(best.val_loss, rel=1e-6)


def test_stop_ends_training_after_the_current_batch():
    calls = []

    def stop_in_epoch_two() -> bool:
        calls.append(1)
        return len(calls) > 7  # 45 photos in batches of 8 → 6 batches per epoch

    _, trainer, records = _run(TrainSettings(epochs=10, batch_size=8), should_stop=stop_in_epoch_two)
    assert len(records) == 2 and len(calls) == 8
    assert trainer.message == "stopped during epoch 2; kept the weights of epoch 2"


def test_nan_input_stops_with_a_message_and_keeps_the_starting_weights():
    x, y = _toy()
    x[3, 0] = np.nan
    start = _softmax_model().get_weights()
    model, trainer, records = _run(TrainSettings(epochs=3, batch_size=8), data=(x, y))
    assert records == [] and trainer.best_epoch is None
    assert re.match(
        r"training diverged at epoch 1, batch \d \(loss nan\): stopped, and kept the starting "
        r"weights; try a learning rate below 0.001$",
        trainer.message,
    )
    for kept, original in zip(model.get_weights(), start, strict=True):
        np.testing.assert_array_equal(kept, original)


def test_a_huge_learning_rate_diverges_and_keeps_the_last_good_epoch():
    x, y = _toy()
    y = np.random.default_rng(1).permutation(y)  # labels unrelated to the points: no weights fit them
    model = _softmax_model()
    good = Trainer(model, (x[:45], y[:45]), None, TrainSettings(epochs=1, learning_rate=1e-3))
    list(good.epochs())
    kept = [w.copy() for w in model.get_weights()]
    wild = Trainer(model, (x[:45], y[:45]), None, TrainSettings(epochs=5, learning_rate=1e9))
    list(wild.epochs())
    assert wild.message.endswith("try a learning rate below 1e+09")
    for after, before in zip(model.get_weights(), kept, strict=True):
        assert np.isfinite(after).all()
        if wild.best_epoch is None:
            np.testing.assert_array_equal(after, before)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("epochs", 0, "epochs must be in 1..500, got 0"),
        ("batch_size", 0, "batch size must be in 1..512, got 0"),
        ("learning_rate", float("nan"), "learning rate must be in \\(0, 1e12\\], got nan"),
        ("learning_rate", 0.0, "learning rate must be in \\(0, 1e12\\], got 0.0"),
        ("validation_fraction", 1.0, "validation fraction must be in \\[0, 1\\), got 1.0"),
    ],
)
def test_bad_settings_are_named(field, value, message):
    with pytest.raises(ParameterError, match=message):
        TrainSettings(**{field: value})
