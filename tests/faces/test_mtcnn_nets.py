"""Our Keras P/R/O-Nets against the mtcnn package's own networks, loaded with the same weights."""

from __future__ import annotations

import numpy as np
import pytest

from cnn_core.errors import ModelFileError
from cnn_core.faces import mtcnn_nets
from cnn_core.readers.joblib_arrays import read_joblib_arrays
from cnn_core.weights import weight_path
from tests.numerics import assert_matches_reference, float64_keras


@pytest.mark.parametrize(
    ("net", "shape"),
    [("pnet", (2, 31, 45, 3)), ("pnet", (1, 12, 12, 3)), ("rnet", (7, 24, 24, 3)), ("onet", (5, 48, 48, 3))],
)
def test_nets_match_the_mtcnn_package(net, shape):
    from mtcnn.network.onet import ONet
    from mtcnn.network.pnet import PNet
    from mtcnn.network.rnet import RNet

    arrays = read_joblib_arrays(weight_path(f"mtcnn-{net}.lz4"))
    reference = {"pnet": PNet, "rnet": RNet, "onet": ONet}[net]()
    reference.build()
    reference.set_weights(arrays)
    with float64_keras():
        exact_model = mtcnn_nets.build_mtcnn_net(net)
    mtcnn_nets.load_package_weights(exact_model, arrays)
    x = np.random.default_rng(1).uniform(-1, 1, shape).astype(np.float32)
    expected = [np.asarray(t) for t in reference(x)]
    exact = [np.asarray(t) for t in exact_model(x.astype(np.float64))]
    ours = getattr(mtcnn_nets, net)(mtcnn_nets.load_mtcnn_nets(), x)
    for a, e, b in zip(ours, exact, expected, strict=True):
        e, b = (
            t[..., 1] if t.shape[-1] == 2 else t for t in (e, b)
        )  # the package returns both softmax columns
        assert_matches_reference(a, e, b)


def test_layer_shapes_follow_the_paper():
    pnet, rnet, onet = (mtcnn_nets.build_mtcnn_net(n) for n in ("pnet", "rnet", "onet"))
    assert pnet.compute_output_shape((1, 12, 12, 3))[1] == (1, 1, 1, 2)  # one cell per 12x12 window
    assert rnet.get_layer("prelu3").output.shape[1:] == (3, 3, 64)
    assert onet.get_layer("prelu4").output.shape[1:] == (3, 3, 128)
    assert [o.shape[1] for o in onet.outputs] == [4, 10, 2]


def test_wrong_weights_are_refused():
    with pytest.raises(ModelFileError, match="mtcnn rnet weights have shapes"):
        mtcnn_nets.load_package_weights(mtcnn_nets.build_mtcnn_net("rnet"), [np.zeros(3)])
