"""Worked examples from the seed lecture notes.

Depthwise-separable convolution (MobileNet, Howard et al. 2017, Section 3.1, as the notes work
it): M = N = 128 input and output channels, Dk = 3 kernel, Df = 64 feature map. A standard 3x3
conv holds Dk*Dk*M*N = 147,456 weights; a depthwise 3x3 conv plus a 1x1 pointwise conv holds
Dk*Dk*M + M*N = 1,152 + 16,384 = 17,536. No biases (the notes count weights only)."""

from accelsim.workload.builder import NetworkBuilder
from accelsim.workload.zoo import zoo_network

SOURCE = "Seed notes: depthwise-separable example (M = N = 128, Dk = 3, Df = 64); Howard et al. 2017, Sec. 3.1"


@zoo_network("dsconv-standard", source=SOURCE,
             notes="One standard 3x3 conv, 128 -> 128 channels on 64x64 (pad 1): 147,456 weights, "
             "603,979,776 MACs.")
def dsconv_standard(batch: int = 1, input_shape=None):
    b = NetworkBuilder("dsconv-standard", input_shape or (128, 64, 64), batch=batch, source=SOURCE,
                       check_shapes=input_shape is None)
    b.conv("conv", b.input, out=128, k=3, pad=1, bias=False, expect=(128, 64, 64))
    return b.build()


@zoo_network("dsconv-separable", source=SOURCE,
             notes="Depthwise 3x3 + pointwise 1x1, 128 -> 128 channels on 64x64: 1,152 + 16,384 = 17,536 "
             "weights, 4,718,592 + 67,108,864 = 71,827,456 MACs (8.4x fewer).")
def dsconv_separable(batch: int = 1, input_shape=None):
    b = NetworkBuilder("dsconv-separable", input_shape or (128, 64, 64), batch=batch, source=SOURCE,
                       check_shapes=input_shape is None)
    x = b.dwconv("conv.dw", b.input, k=3, pad=1, bias=False, expect=(128, 64, 64))
    b.conv("conv.pw", x, out=128, k=1, bias=False, expect=(128, 64, 64))
    return b.build()
