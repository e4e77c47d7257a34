"""Our allow-list reader of joblib+lz4 array lists against joblib.load itself, and its refusals."""

from __future__ import annotations

import collections

import joblib
import numpy as np
import pytest

from cnn_core.errors import ModelFileError
from cnn_core.readers.joblib_arrays import read_joblib_arrays
from cnn_core.weights import weight_path


@pytest.mark.parametrize("net", ["pnet", "rnet", "onet"])
def test_mtcnn_weights_equal_joblib_load(net):
    path = weight_path(f"mtcnn-{net}.lz4")
    ours, reference = read_joblib_arrays(path), joblib.load(path)
    assert len(ours) == len(reference)
    for a, b in zip(ours, reference, strict=True):
        assert a.dtype == b.dtype and a.shape == b.shape
        np.testing.assert_array_equal(a, b)


def test_round_trip_of_a_new_file(tmp_path):
    arrays = [np.arange(6, dtype=np.float32).reshape(2, 3), np.array([1, 2], dtype=np.int64)]
    joblib.dump(arrays, tmp_path / "a.lz4", compress="lz4")
    out = read_joblib_arrays(tmp_path / "a.lz4")
    assert [a.tolist() for a in out] == [a.tolist() for a in arrays]


def test_other_globals_are_refused(tmp_path):
    joblib.dump([collections.OrderedDict(a=1)], tmp_path / "evil.lz4", compress="lz4")
    with pytest.raises(ModelFileError, match=r"names 'collections\.OrderedDict'; only numpy arrays"):
        read_joblib_arrays(tmp_path / "evil.lz4")


def test_non_lz4_and_damaged_files(tmp_path):
    (tmp_path / "plain").write_bytes(b"hello")
    with pytest.raises(ModelFileError, match="is not an LZ4 frame"):
        read_joblib_arrays(tmp_path / "plain")
    joblib.dump([np.zeros(100)], tmp_path / "ok.lz4", compress="lz4")
    (tmp_path / "cut.lz4").write_bytes((tmp_path / "ok.lz4").read_bytes()[:40])
    with pytest.raises(ModelFileError, match="cannot be read as joblib arrays"):
        read_joblib_arrays(tmp_path / "cut.lz4")
