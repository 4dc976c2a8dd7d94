"""Inception v3 (Szegedy, Vanhoucke, Ioffe, Shlens, Wojna, "Rethinking the Inception Architecture
for Computer Vision", CVPR 2016, Table 1 and Figs. 5-7), in the layout of the reference
implementation that reproduces the paper's results (TensorFlow slim / torchvision ``Inception3``,
whose module names are used here: Conv2d_1a_3x3, Mixed_5b.branch5x5_1, Mixed_7c.branch3x3dbl_3b,
fc, ...).

299x299 input. Stem: 3x3/2, 3x3, 3x3 (pad 1), 3x3/2 max pool, 1x1, 3x3, 3x3/2 max pool -> 35x35x192.
Three Fig. 5 modules (35x35, the 5x5 branch kept as in the reference code), a grid reduction to
17x17x768, four Fig. 6 modules with factorized 1x7 / 7x1 convolutions, a grid reduction to
8x8x1280, two Fig. 7 modules with the expanded 1x3 / 3x1 filter banks (8x8x2048), global average
pool and a 2048 -> 1000 classifier. Every conv is followed by BatchNorm (no conv bias); the fc has
a bias. The auxiliary classifier on Mixed_6e (training only) is left out."""

from accelsim.workload.builder import NetworkBuilder, Tensor
from accelsim.workload.zoo import zoo_network

SOURCE = "Szegedy et al., Rethinking the Inception Architecture, CVPR 2016, Table 1; torchvision Inception3"


def _conv(b: NetworkBuilder, name: str, x: Tensor, out: int, k, stride=1, pad=0) -> Tensor:
    """BasicConv2d of the reference code: conv without bias, then BatchNorm and ReLU."""
    return b.conv(name, x, out=out, k=k, stride=stride, pad=pad, bias=False)


def _module_a(b: NetworkBuilder, p: str, x: Tensor, pool_features: int) -> Tensor:
    """Fig. 5 (35x35): 1x1 | 1x1 -> 5x5 | 1x1 -> 3x3 -> 3x3 | avg pool -> 1x1."""
    a = _conv(b, f"{p}.branch1x1", x, 64, 1)
    c = _conv(b, f"{p}.branch5x5_2", _conv(b, f"{p}.branch5x5_1", x, 48, 1), 64, 5, pad=2)
    d = _conv(b, f"{p}.branch3x3dbl_1", x, 64, 1)
    d = _conv(b, f"{p}.branch3x3dbl_3", _conv(b, f"{p}.branch3x3dbl_2", d, 96, 3, pad=1), 96, 3, pad=1)
    e = b.pool(f"{p}.branch_pool.avg", x, k=3, stride=1, pad=1, op="avg")
    e = _conv(b, f"{p}.branch_pool", e, pool_features, 1)
    return b.concat(f"{p}.output", a, c, d, e, expect=(224 + pool_features, 35, 35))


def _reduction_b(b: NetworkBuilder, p: str, x: Tensor) -> Tensor:
    """35x35 -> 17x17 grid reduction (Fig. 10's scheme)."""
    a = _conv(b, f"{p}.branch3x3", x, 384, 3, stride=2)
    d = _conv(b, f"{p}.branch3x3dbl_1", x, 64, 1)
    d = _conv(b, f"{p}.branch3x3dbl_3", _conv(b, f"{p}.branch3x3dbl_2", d, 96, 3, pad=1), 96, 3, stride=2)
    e = b.pool(f"{p}.branch_pool", x, k=3, stride=2)
    return b.concat(f"{p}.output", a, d, e, expect=(768, 17, 17))


def _module_c(b: NetworkBuilder, p: str, x: Tensor, c7: int) -> Tensor:
    """Fig. 6 (17x17), n = 7: the 7x7 convolutions factorized into 1x7 and 7x1."""
    a = _conv(b, f"{p}.branch1x1", x, 192, 1)
    c = _conv(b, f"{p}.branch7x7_1", x, c7, 1)
    c = _conv(b, f"{p}.branch7x7_2", c, c7, (1, 7), pad=(0, 3))
    c = _conv(b, f"{p}.branch7x7_3", c, 192, (7, 1), pad=(3, 0))
    d = _conv(b, f"{p}.branch7x7dbl_1", x, c7, 1)
    d = _conv(b, f"{p}.branch7x7dbl_2", d, c7, (7, 1), pad=(3, 0))
    d = _conv(b, f"{p}.branch7x7dbl_3", d, c7, (1, 7), pad=(0, 3))
    d = _conv(b, f"{p}.branch7x7dbl_4", d, c7, (7, 1), pad=(3, 0))
    d = _conv(b, f"{p}.branch7x7dbl_5", d, 192, (1, 7), pad=(0, 3))
    e = b.pool(f"{p}.branch_pool.avg", x, k=3, stride=1, pad=1, op="avg")
    e = _conv(b, f"{p}.branch_pool", e, 192, 1)
    return b.concat(f"{p}.output", a, c, d, e, expect=(768, 17, 17))


def _reduction_d(b: NetworkBuilder, p: str, x: Tensor) -> Tensor:
    """17x17 -> 8x8 grid reduction."""
    a = _conv(b, f"{p}.branch3x3_2", _conv(b, f"{p}.branch3x3_1", x, 192, 1), 320, 3, stride=2)
    d = _conv(b, f"{p}.branch7x7x3_1", x, 192, 1)
    d = _conv(b, f"{p}.branch7x7x3_2", d, 192, (1, 7), pad=(0, 3))
    d = _conv(b, f"{p}.branch7x7x3_3", d, 192, (7, 1), pad=(3, 0))
    d = _conv(b, f"{p}.branch7x7x3_4", d, 192, 3, stride=2)
    e = b.pool(f"{p}.branch_pool", x, k=3, stride=2)
    return b.concat(f"{p}.output", a, d, e, expect=(1280, 8, 8))


def _module_e(b: NetworkBuilder, p: str, x: Tensor) -> Tensor:
    """Fig. 7 (8x8): expanded filter banks, each 3x3 split into parallel 1x3 and 3x1 outputs."""
    a = _conv(b, f"{p}.branch1x1", x, 320, 1)
    c = _conv(b, f"{p}.branch3x3_1", x, 384, 1)
    c = b.concat(f"{p}.branch3x3", _conv(b, f"{p}.branch3x3_2a", c, 384, (1, 3), pad=(0, 1)),
                 _conv(b, f"{p}.branch3x3_2b", c, 384, (3, 1), pad=(1, 0)))
    d = _conv(b, f"{p}.branch3x3dbl_1", x, 448, 1)
    d = _conv(b, f"{p}.branch3x3dbl_2", d, 384, 3, pad=1)
    d = b.concat(f"{p}.branch3x3dbl", _conv(b, f"{p}.branch3x3dbl_3a", d, 384, (1, 3), pad=(0, 1)),
                 _conv(b, f"{p}.branch3x3dbl_3b", d, 384, (3, 1), pad=(1, 0)))
    e = b.pool(f"{p}.branch_pool.avg", x, k=3, stride=1, pad=1, op="avg")
    e = _conv(b, f"{p}.branch_pool", e, 192, 1)
    return b.concat(f"{p}.output", a, c, d, e, expect=(2048, 8, 8))


@zoo_network("inception_v3", source=SOURCE, aliases=("inception-v3", "inceptionv3"),
             notes="Without the auxiliary classifier: 23,799,136 weights + 1,000 fc biases; with BatchNorm's "
             "17,216 scale/shift pairs that is torchvision's 23,834,568 parameters (aux_logits=False). "
             "5,713,216,096 MACs at 299x299: torchvision's 5.71 GFLOPS (multiply-adds); the paper says "
             "about 5 billion multiply-adds.")
def inception_v3(batch: int = 1, input_shape=None):
    b = NetworkBuilder("inception_v3", input_shape or (3, 299, 299), batch=batch, source=SOURCE,
                       check_shapes=input_shape is None)
    x = _conv(b, "Conv2d_1a_3x3", b.input, 32, 3, stride=2)
    x = _conv(b, "Conv2d_2a_3x3", x, 32, 3)
    x = _conv(b, "Conv2d_2b_3x3", x, 64, 3, pad=1)
    b.check(x, (64, 147, 147), "Conv2d_2b_3x3")
    x = b.pool("maxpool1", x, k=3, stride=2, expect=(64, 73, 73))
    x = _conv(b, "Conv2d_3b_1x1", x, 80, 1)
    x = _conv(b, "Conv2d_4a_3x3", x, 192, 3)
    x = b.pool("maxpool2", x, k=3, stride=2, expect=(192, 35, 35))
    x = _module_a(b, "Mixed_5b", x, 32)
    x = _module_a(b, "Mixed_5c", x, 64)
    x = _module_a(b, "Mixed_5d", x, 64)
    x = _reduction_b(b, "Mixed_6a", x)
    for name, c7 in (("Mixed_6b", 128), ("Mixed_6c", 160), ("Mixed_6d", 160), ("Mixed_6e", 192)):
        x = _module_c(b, name, x, c7)
    x = _reduction_d(b, "Mixed_7a", x)
    x = _module_e(b, "Mixed_7b", x)
    x = _module_e(b, "Mixed_7c", x)
    x = b.global_pool("avgpool", x, expect=(2048, 1, 1))
    b.fc("fc", x, out=1000)
    return b.build()
