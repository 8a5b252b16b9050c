"""compute_fans: dense and convolution kernels, Keras and PyTorch layouts."""

import pytest

from initact import compute_fans


@pytest.mark.parametrize(
    ("shape", "axes", "expected"),
    [
        ((784, 300), {}, (784, 300)),  # dense, Keras (in, out)
        ((300, 784), {"in_axis": 1, "out_axis": 0}, (784, 300)),  # dense, PyTorch (out, in)
        ((3, 3, 64, 128), {}, (64 * 9, 128 * 9)),  # conv2d, Keras (kh, kw, in, out)
        ((128, 64, 3, 3), {"in_axis": 1, "out_axis": 0}, (64 * 9, 128 * 9)),  # PyTorch
        ((5, 16, 32), {}, (16 * 5, 32 * 5)),  # conv1d, Keras (k, in, out)
        ((3, 3, 3, 8, 4), {}, (8 * 27, 4 * 27)),  # conv3d
        ((7, 1), {}, (7, 1)),
    ],
)
def test_fans_multiply_by_the_receptive_field(shape, axes, expected):
    assert compute_fans(shape, **axes) == expected


def test_same_kernel_in_both_layouts_has_the_same_fans():
    keras = compute_fans((5, 7, 16, 32))
    torch = compute_fans((32, 16, 5, 7), in_axis=1, out_axis=0)
    assert keras == torch == (16 * 35, 32 * 35)


def test_numpy_integers_are_accepted():
    import numpy as np

    assert compute_fans(np.array([4, 6]).tolist()) == (4, 6)
    assert compute_fans((np.int64(4), np.int32(6))) == (4, 6)
