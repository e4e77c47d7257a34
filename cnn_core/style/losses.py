"""The costs of neural style transfer, in the course's normalisation (Gatys et al., CVPR 2016).

    J(G) = α · J_content(C, G) + β · J_style(S, G) + w_TV · TV(G)

    J_content = 1 / (4 n_H n_W n_C) · Σ (a⁽ᶜ⁾ − a⁽ᴳ⁾)²                       at one middle layer
    J_style⁽ˡ⁾ = 1 / (2 n_H n_W n_C)² · Σ_kk' (G⁽ˢ⁾ₖₖ' − G⁽ᴳ⁾ₖₖ')²             G = Fᵀ F at layer l
    J_style   = Σ_l λ⁽ˡ⁾ · J_style⁽ˡ⁾

Dividing each Gram matrix by its own n_H·n_W first gives the same J_style⁽ˡ⁾ = 1/(4 n_C²) · Σ (Ĝ⁽ˢ⁾ − Ĝ⁽ᴳ⁾)²
when S and G have one size, and stays meaningful when the style picture has another size. The total
variation term (Rudin, Osher & Fatemi, 1992) is the mean absolute difference between neighbouring pixels;
it discourages the high-frequency noise that pixel-space optimisation tends to add.
"""

from __future__ import annotations

from collections.abc import Mapping

import tensorflow as tf

from cnn_core.style.gram import mean_gram


def content_cost(content_features: tf.Tensor, generated_features: tf.Tensor) -> tf.Tensor:
    """``1/(4 n_H n_W n_C) · Σ (a_C − a_G)²`` for one image's activations (1, H, W, C) each.

    >>> content_cost(tf.zeros((1, 1, 2, 2)), tf.constant([[[[1.0, 2.0], [0.0, 1.0]]]])).numpy()
    np.float32(0.375)
    """
    count = tf.cast(tf.size(content_features), content_features.dtype)
    return tf.reduce_sum(tf.square(content_features - generated_features)) / (4.0 * count)


def style_cost_from_grams(style_gram: tf.Tensor, generated_gram: tf.Tensor) -> tf.Tensor:
    """``1/(4 n_C²) · Σ (Ĝ_S − Ĝ_G)²`` for per-position Gram matrices (N, C, C) of one layer."""
    channels = tf.cast(tf.shape(style_gram)[-1], style_gram.dtype)
    return tf.reduce_sum(tf.square(style_gram - generated_gram)) / (4.0 * channels**2)


def layer_style_cost(style_features: tf.Tensor, generated_features: tf.Tensor) -> tf.Tensor:
    """J_style⁽ˡ⁾ of two activations (1, H, W, C) = ``1/(2 n_H n_W n_C)² · Σ (G_S − G_G)²`` at one size.

    >>> a = tf.constant([[[[1.0, 0.0], [0.0, 1.0]]]])  # G = identity, n_H n_W n_C = 4
    >>> layer_style_cost(a, tf.zeros_like(a)).numpy()  # (1² + 1²) / (2·4)²
    np.float32(0.03125)
    """
    return style_cost_from_grams(mean_gram(style_features), mean_gram(generated_features))


def style_cost(
    style_grams: Mapping[str, tf.Tensor],
    generated_features: Mapping[str, tf.Tensor],
    layer_weights: Mapping[str, float],
) -> tf.Tensor:
    """``Σ_l λ⁽ˡ⁾ J_style⁽ˡ⁾`` over the layers of ``layer_weights`` (λ per layer name).

    ``style_grams``: per-position Gram (1, C, C) of the style image per layer (computed once);
    ``generated_features``: activations (1, H, W, C) of the generated image per layer.
    """
    terms = [
        weight * style_cost_from_grams(style_grams[name], mean_gram(generated_features[name]))
        for name, weight in layer_weights.items()
    ]
    return tf.add_n(terms)


def total_variation(image: tf.Tensor) -> tf.Tensor:
    """Mean ``|x[i+1, j] − x[i, j]| + |x[i, j+1] − x[i, j]|`` over an image batch (N, H, W, C).

    Equals ``tf.image.total_variation`` summed over the batch, divided by the number of values.

    >>> total_variation(tf.constant([[[[0.0], [1.0]], [[1.0], [1.0]]]])).numpy()
    np.float32(0.5)
    """
    down = tf.abs(image[:, 1:, :, :] - image[:, :-1, :, :])
    right = tf.abs(image[:, :, 1:, :] - image[:, :, :-1, :])
    count = tf.cast(tf.size(image), image.dtype)
    return (tf.reduce_sum(down) + tf.reduce_sum(right)) / count
