"""Style as correlations between channels: the Gram (style) matrix of a layer's activations.

Reshape the activations a of one image at layer l from (n_H, n_W, n_C) to F of shape (n_H·n_W, n_C):
one row per position, one column per channel. The Gram matrix is

    G = Fᵀ F,   G[k, k'] = Σᵢⱼ a[i, j, k] · a[i, j, k']      (n_C x n_C)

(Gatys, Ecker & Bethge, CVPR 2016). G[k, k'] is large when channels k and k' fire together; where they
fire is summed away, which is why G describes style (texture) and not layout. ``mean_gram`` divides by
n_H·n_W, the per-position average, so images of different sizes give comparable matrices.
"""

from __future__ import annotations

import tensorflow as tf


def gram_matrix(features: tf.Tensor) -> tf.Tensor:
    """``G = Fᵀ F`` for each image of a batch of activations (N, H, W, C) → (N, C, C).

    >>> a = tf.constant([[[[1.0, 2.0], [0.0, 1.0]]]])  # one image, 1x2 positions, 2 channels
    >>> gram_matrix(a).numpy()[0]
    array([[1., 2.],
           [2., 5.]], dtype=float32)
    """
    shape = tf.shape(features)
    flat = tf.reshape(features, (shape[0], shape[1] * shape[2], shape[3]))  # F: (N, H·W, C)
    return tf.linalg.matmul(flat, flat, transpose_a=True)  # Fᵀ F: (N, C, C)


def mean_gram(features: tf.Tensor) -> tf.Tensor:
    """``Fᵀ F / (n_H·n_W)`` for activations (N, H, W, C) → (N, C, C).

    >>> mean_gram(tf.ones((1, 2, 3, 2))).numpy()[0]
    array([[1., 1.],
           [1., 1.]], dtype=float32)
    """
    shape = tf.shape(features)
    positions = tf.cast(shape[1] * shape[2], features.dtype)
    return gram_matrix(features) / positions


def softmax_smoothing(features: tf.Tensor, temperature: float = 1.0) -> tf.Tensor:
    """Activation smoothing (SWAG; Wang, Li & Vasconcelos, CVPR 2021), scaled to mean 1.

    σ(a)ᵢ = M · exp(aᵢ/T) / Σⱼ exp(aⱼ/T) over all M = H·W·C activations of each image (N, H, W, C).
    Residual networks produce peaky, low-entropy activations that make Gram matching weak; the softmax
    raises their entropy. The factor M (a constant) keeps the numbers near 1 for display.

    >>> softmax_smoothing(tf.zeros((1, 2, 2, 3))).numpy().mean()
    np.float32(1.0)
    """
    shape = tf.shape(features)
    flat = tf.reshape(features, (shape[0], -1)) / temperature  # (N, M)
    count = tf.cast(tf.shape(flat)[1], features.dtype)
    return tf.reshape(tf.nn.softmax(flat, axis=-1) * count, shape)
