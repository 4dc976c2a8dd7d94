"""The shape-tracing builder and Layer validation, against hand-computed shapes."""

import pytest

from accelsim.errors import ShapeError
from accelsim.workload import Layer, NetworkBuilder


def test_alexnet_conv1_shape_matches_the_seed_hint():
    # Seeds (CS231n): (227 - 11) / 4 + 1 = 55; parameters (11*11*3)*96 = 34,848 (+96 bias).
    layer = Layer(name="conv1", M=96, C=3, H=227, W=227, R=11, S=11, stride=4)
    assert (layer.E, layer.F) == (55, 55)
    assert layer.weights == 34_848 and layer.biases == 96
    assert layer.macs == 96 * 3 * 55 * 55 * 11 * 11


def test_padding_dilation_and_stride_per_axis():
    layer = Layer(name="x", M=2, C=3, H=10, W=9, R=3, S=2, stride=(2, 1), padding=(1, 0, 2, 2), dilation=(2, 3))
    # E = floor((10 + 1 + 0 - 2*2 - 1) / 2) + 1 = 4 ; F = floor((9 + 4 - 3*1 - 1) / 1) + 1 = 10
    assert (layer.E, layer.F) == (4, 10)
    assert layer.row()["pad"] == "1,0,2,2" and layer.row()["stride"] == "2,1"


def test_transposed_conv_output_and_direct_equivalent():
    # DCGAN-style: 4x4 -> 8x8 with k=5, stride 2, padding 2, output_padding 1 (PyTorch semantics)
    layer = Layer(name="t", M=512, C=1024, H=4, W=4, R=5, S=5, stride=2, padding=2, transposed=True,
                  output_padding=1)
    assert (layer.E, layer.F) == (8, 8)
    assert layer.macs == 512 * 1024 * 4 * 4 * 25
    d = layer.direct_equivalent()
    assert (d.H, d.stride, d.padding) == (7, (1, 1), (2, 3, 2, 3))
    assert (d.E, d.F) == (8, 8)
    assert d.macs == 512 * 1024 * 8 * 8 * 25  # zeros included


def test_depthwise_type_and_counts():
    b = NetworkBuilder("dw", (32, 112, 112))
    b.dwconv("dw1", b.input, k=3, pad=1, bias=False)
    layer = b.build().layer("dw1")
    assert layer.type == "dwconv" and (layer.G, layer.M, layer.C) == (32, 1, 1)
    assert layer.weights == 32 * 9 and layer.macs == 32 * 112 * 112 * 9


@pytest.mark.parametrize("kwargs, words", [
    (dict(M=0), "M must be a positive integer"),
    (dict(H=3, R=5), "larger than the padded input"),
    (dict(stride=0), "stride must be integers >= 1"),
    (dict(padding=-1), "padding must be integers >= 0"),
])
def test_impossible_layers_raise_shape_errors_naming_the_layer(kwargs, words):
    with pytest.raises(ShapeError, match=words) as info:
        Layer(name="convX", **{"M": 4, "C": 4, "H": 8, "W": 8, "R": 3, "S": 3, **kwargs})
    assert "convX" in str(info.value)


def test_groups_must_divide_channels():
    b = NetworkBuilder("g", (6, 8, 8))
    with pytest.raises(ShapeError, match="conv1.*divisible by 4 groups"):
        b.conv("conv1", b.input, out=8, k=3, groups=4)


def test_wrong_padding_is_caught_by_the_residual_add_naming_the_layer():
    b = NetworkBuilder("res", (16, 8, 8))
    y = b.conv("branch", b.input, out=16, k=3, pad=0)  # should be pad=1
    with pytest.raises(ShapeError, match="block.add"):
        b.add("block.add", b.input, y)


def test_expect_checks_the_paper_shape():
    b = NetworkBuilder("a", (3, 227, 227))
    with pytest.raises(ShapeError, match="conv1: output is 96x56x56, expected 96x55x55"):
        b.conv("conv1", b.input, out=96, k=11, stride=4, pad=2, expect=(96, 55, 55))


def test_ceil_mode_pooling_like_caffe_googlenet():
    b = NetworkBuilder("p", (64, 112, 112))
    x = b.pool("pool", b.input, k=3, stride=2, ceil_mode=True)
    assert x.shape == (64, 56, 56)
    y = b.pool("pool_floor", b.input, k=3, stride=2)
    assert y.shape == (64, 55, 55)


def test_identical_shapes_are_grouped():
    b = NetworkBuilder("twins", (8, 8, 8))
    x = b.conv("a", b.input, out=8, k=3, pad=1)
    x = b.conv("b", x, out=8, k=3, pad=1)
    b.conv("c", x, out=4, k=1)
    groups = b.build().distinct_nests()
    assert sorted(groups.values()) == [["a", "b"], ["c"]]


def test_batch_scales_macs_not_weights():
    b = NetworkBuilder("n", (3, 8, 8))
    b.conv("c", b.input, out=4, k=3)
    net = b.build()
    net4 = net.with_batch(4)
    assert net4.macs == 4 * net.macs and net4.weights == net.weights
