"""GoogLeNet / Inception v1 (Szegedy et al., "Going Deeper with Convolutions", CVPR 2015, Table 1).

224x224 input; layer names are the BVLC Caffe model's (conv1/7x7_s2, conv2/3x3_reduce,
inception_3a/1x1, inception_3a/3x3_reduce, inception_3a/5x5_reduce, inception_3a/pool_proj,
..., loss3/classifier). Pools use Caffe's ceil mode (pool1: 112 -> 56). LRN after conv1's pool
and after conv2. The two auxiliary classifiers (training only) are left out. Every conv and the
fc have a bias."""

from accelsim.workload.builder import NetworkBuilder, Tensor
from accelsim.workload.zoo import zoo_network

SOURCE = "Szegedy et al., Going Deeper with Convolutions, CVPR 2015, Table 1; Eyeriss tutorial (7.0M, 1.43G)"

# Table 1: #1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj
INCEPTION = {
    "3a": (64, 96, 128, 16, 32, 32), "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64), "4b": (160, 112, 224, 24, 64, 64), "4c": (128, 128, 256, 24, 64, 64),
    "4d": (112, 144, 288, 32, 64, 64), "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128), "5b": (384, 192, 384, 48, 128, 128),
}


def inception(b: NetworkBuilder, x: Tensor, key: str) -> Tensor:
    n1, r3, n3, r5, n5, pp = INCEPTION[key]
    p = f"inception_{key}"
    a = b.conv(f"{p}/1x1", x, out=n1, k=1)
    c = b.conv(f"{p}/3x3", b.conv(f"{p}/3x3_reduce", x, out=r3, k=1), out=n3, k=3, pad=1)
    d = b.conv(f"{p}/5x5", b.conv(f"{p}/5x5_reduce", x, out=r5, k=1), out=n5, k=5, pad=2)
    e = b.conv(f"{p}/pool_proj", b.pool(f"{p}/pool", x, k=3, stride=1, pad=1), out=pp, k=1)
    return b.concat(f"{p}/output", a, c, d, e, expect=(n1 + n3 + n5 + pp, x.h, x.w))


@zoo_network("googlenet", source=SOURCE, aliases=("inception-v1", "inception_v1", "googlenet-v1"),
             notes="Table 1 without the auxiliary classifiers: 6,998,552 params = 6,990,272 weights + 8,280 "
             "biases (tutorial: 7.0M; conv 5,966,272 ~ 6.0M, fc 1,024,000 ~ 1M). 1,582,671,872 MACs, conv "
             "1,581,647,872: 10.6% above the tutorial's 1.43G, whose counting we could not reproduce (Table 1's "
             "own per-layer 'ops' column sums to ~1.5G).")
def googlenet(batch: int = 1, input_shape=None):
    b = NetworkBuilder("googlenet", input_shape or (3, 224, 224), batch=batch, source=SOURCE,
                       check_shapes=input_shape is None)
    x = b.conv("conv1/7x7_s2", b.input, out=64, k=7, stride=2, pad=3, expect=(64, 112, 112))
    x = b.pool("pool1/3x3_s2", x, k=3, stride=2, ceil_mode=True, expect=(64, 56, 56))
    x = b.norm("pool1/norm1", x)
    x = b.conv("conv2/3x3_reduce", x, out=64, k=1)
    x = b.conv("conv2/3x3", x, out=192, k=3, pad=1, expect=(192, 56, 56))
    x = b.norm("conv2/norm2", x)
    x = b.pool("pool2/3x3_s2", x, k=3, stride=2, ceil_mode=True, expect=(192, 28, 28))
    x = inception(b, x, "3a")
    x = inception(b, x, "3b")
    x = b.pool("pool3/3x3_s2", x, k=3, stride=2, ceil_mode=True, expect=(480, 14, 14))
    for key in ("4a", "4b", "4c", "4d", "4e"):
        x = inception(b, x, key)
    x = b.pool("pool4/3x3_s2", x, k=3, stride=2, ceil_mode=True, expect=(832, 7, 7))
    x = inception(b, x, "5a")
    x = inception(b, x, "5b")
    x = b.global_pool("pool5/7x7_s1", x, expect=(1024, 1, 1))
    b.fc("loss3/classifier", b.act("pool5/drop_7x7_s1", x), out=1000)
    return b.build()
