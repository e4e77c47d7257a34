"""Training: transfer learning on a learner's own photos, data augmentation, and why ResNets train deep.

``dataset`` reads class folders (or in-memory photos) into one array, skipping bad files by name;
``regimes`` builds the EfficientNet-Lite0 classifier for the course's three transfer-learning regimes and
from scratch; ``trainer`` runs seeded Adam training epoch by epoch (stoppable, NaN-safe); ``evaluation``
gives per-class accuracy and the confusion matrix; ``pca_colour`` and ``augment`` are the augmentations;
``residual`` holds the plain-versus-residual demo. Importing this package loads nothing heavy.
"""
