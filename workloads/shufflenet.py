"""ShuffleNet v1, 1x, g = 3 (Zhang, Zhou, Lin, Sun, "ShuffleNet: An Extremely Efficient Convolutional
Neural Network for Mobile Devices", CVPR 2018, Table 1 and Fig. 2).

224x224 input. conv1 3x3/2 (24) -> 3x3/2 max pool -> stages 2, 3, 4 of 4, 8, 4 ShuffleNet units with
240, 480, 960 output channels (28x28, 14x14, 7x7) -> global average pool -> fc 1000.

A unit (Fig. 2b/c): 1x1 group conv (g = 3) to the bottleneck width (a quarter of the stage's
output channels) -> channel shuffle (listed as an act layer: it moves data, computes nothing) ->
3x3 depthwise conv (stride 2 in a stage's first unit) -> 1x1 group conv (g = 3). A stride-1 unit
adds its input; a stride-2 unit concatenates a 3x3/2 average-pooled copy of its input, so its
residual branch produces only (output - input) channels. The first 1x1 conv of stage 2 is not
grouped (its input has only 24 channels), as the paper says. Convs have no bias (BatchNorm
follows); the fc has one. Names: ``stage2.0.gconv1``, ``stage2.0.shuffle``, ``stage2.0.dwconv``,
``stage2.0.gconv2``, ``stage2.0.shortcut``, ``stage2.0.concat`` / ``stage2.1.add``.
"""

from accelsim.workload.builder import NetworkBuilder, Tensor
from accelsim.workload.zoo import zoo_network

SOURCE = "Zhang et al., ShuffleNet, CVPR 2018, Table 1 (1x, g=3)"

#: output channels of stages 2-4 per group count (Table 1)
STAGE_OUT = {1: (144, 288, 576), 2: (200, 400, 800), 3: (240, 480, 960), 4: (272, 544, 1088), 8: (384, 768, 1536)}
REPEATS = (4, 8, 4)


def shuffle_unit(b: NetworkBuilder, x: Tensor, name: str, out: int, groups: int, stride: int,
                 first_grouped: bool) -> Tensor:
    branch_out = out - x.c if stride == 2 else out
    width = out // 4
    y = b.conv(f"{name}.gconv1", x, out=width, k=1, groups=groups if first_grouped else 1, bias=False)
    y = b.act(f"{name}.shuffle", y)
    y = b.dwconv(f"{name}.dwconv", y, k=3, stride=stride, pad=1, bias=False)
    y = b.conv(f"{name}.gconv2", y, out=branch_out, k=1, groups=groups, bias=False)
    if stride == 2:
        s = b.pool(f"{name}.shortcut", x, k=3, stride=2, pad=1, op="avg")
        return b.concat(f"{name}.concat", s, y, expect=(out, y.h, y.w))
    return b.add(f"{name}.add", y, x)


def shufflenet_v1(groups: int = 3, batch: int = 1, name: str | None = None, input_shape=None):
    b = NetworkBuilder(name or f"shufflenet_v1_g{groups}", input_shape or (3, 224, 224), batch=batch, source=SOURCE,
                       check_shapes=input_shape is None)
    x = b.conv("conv1", b.input, out=24, k=3, stride=2, pad=1, bias=False, expect=(24, 112, 112))
    x = b.pool("maxpool", x, k=3, stride=2, pad=1, expect=(24, 56, 56))
    for stage, (out, repeats, size) in enumerate(zip(STAGE_OUT[groups], REPEATS, (28, 14, 7), strict=True), start=2):
        for j in range(repeats):
            x = shuffle_unit(b, x, f"stage{stage}.{j}", out, groups, stride=2 if j == 0 else 1,
                             first_grouped=not (stage == 2 and j == 0))
        b.check(x, (out, size, size), f"stage{stage}")
    x = b.global_pool("globalpool", x, expect=(STAGE_OUT[groups][-1], 1, 1))
    b.fc("fc", x, out=1000)
    return b.build()


@zoo_network("shufflenet_v1", source=SOURCE, aliases=("shufflenet", "shufflenet-v1", "shufflenet_v1_g3"),
             notes="ShuffleNet 1x (g = 3): the 140 MFLOPs complexity level of Tables 2-5 (FLOPs = multiply-adds); "
             "Table 1's g = 3 column gives 137M, the conv layers' 136,500,672 MACs here (the fc adds 960,000: "
             "137,460,672 in total). 1,841,248 params (weights + fc bias, BatchNorm excluded).")
def shufflenet_v1_g3(batch: int = 1, input_shape=None):
    return shufflenet_v1(3, batch, name="shufflenet_v1", input_shape=input_shape)
