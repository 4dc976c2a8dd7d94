"""OverFeat, fast model (Sermanet, Eigen, Zhang, Mathieu, Fergus, LeCun, "OverFeat: Integrated
Recognition, Localization and Detection using Convolutional Networks", ICLR 2014, Table 1; the
Eyeriss tutorial reproduces the table). 231x231 input; conv1 96@11x11/4, 2x2/2 max pool; conv2
256@5x5, 2x2/2 pool; conv3 512, conv4 1024, conv5 1024 (3x3, pad 1), 2x2/2 pool; fc 3072, 4096,
1000. Every conv and fc has a bias."""

from accelsim.workload.builder import NetworkBuilder
from accelsim.workload.zoo import zoo_network

SOURCE = "Sermanet et al., OverFeat, ICLR 2014, Table 1 (fast model); Eyeriss tutorial table"


@zoo_network("overfeat-fast", source=SOURCE, aliases=("overfeat",),
             notes="145,909,792 weights + 11,080 biases (tutorial summary: 146M; conv 15,984,672 ~ 16M, fc "
             "129,925,120 ~ 130M) and 2,801,403,904 MACs (tutorial summary: 2.8G; conv 2,671,478,784 ~ 2.67G). "
             "The tutorial's slide header "
             "(144M weights, 5.4G MACs) gives the accurate model's totals (see overfeat-accurate); this entry "
             "matches the fast model's summary table.")
def overfeat_fast(batch: int = 1, input_shape=None):
    b = NetworkBuilder("overfeat-fast", input_shape or (3, 231, 231), batch=batch, source=SOURCE,
                       check_shapes=input_shape is None)
    x = b.conv("conv1", b.input, out=96, k=11, stride=4, expect=(96, 56, 56))
    x = b.pool("pool1", x, k=2, expect=(96, 28, 28))
    x = b.conv("conv2", x, out=256, k=5, expect=(256, 24, 24))
    x = b.pool("pool2", x, k=2, expect=(256, 12, 12))
    x = b.conv("conv3", x, out=512, k=3, pad=1, expect=(512, 12, 12))
    x = b.conv("conv4", x, out=1024, k=3, pad=1, expect=(1024, 12, 12))
    x = b.conv("conv5", x, out=1024, k=3, pad=1, expect=(1024, 12, 12))
    x = b.pool("pool5", x, k=2, expect=(1024, 6, 6))
    x = b.fc("fc6", x, out=3072)
    x = b.fc("fc7", x, out=4096)
    b.fc("fc8", x, out=1000)
    return b.build()


@zoo_network("overfeat-accurate", source="Sermanet et al., OverFeat, ICLR 2014, Table 3 (accurate model)",
             notes="Table 3: 221x221 input; conv1 96@7x7/2, 3x3/3 pool; conv2 256@7x7, 2x2/2 pool; conv3 512, "
             "conv4 512, conv5 1024, conv6 1024 (3x3, pad 1), 3x3/3 pool; fc 4096, 4096, 1000. 144,643,872 "
             "weights + 12,616 biases and 5,355,446,784 MACs: Table 4's 144M "
             "parameters, and the 144M / 5.4G the tutorial's OverFeat slide header quotes.")
def overfeat_accurate(batch: int = 1, input_shape=None):
    b = NetworkBuilder("overfeat-accurate", input_shape or (3, 221, 221), batch=batch, source=SOURCE,
                       check_shapes=input_shape is None)
    x = b.conv("conv1", b.input, out=96, k=7, stride=2, expect=(96, 108, 108))
    x = b.pool("pool1", x, k=3, stride=3, expect=(96, 36, 36))
    x = b.conv("conv2", x, out=256, k=7, expect=(256, 30, 30))
    x = b.pool("pool2", x, k=2, expect=(256, 15, 15))
    x = b.conv("conv3", x, out=512, k=3, pad=1, expect=(512, 15, 15))
    x = b.conv("conv4", x, out=512, k=3, pad=1, expect=(512, 15, 15))
    x = b.conv("conv5", x, out=1024, k=3, pad=1, expect=(1024, 15, 15))
    x = b.conv("conv6", x, out=1024, k=3, pad=1, expect=(1024, 15, 15))
    x = b.pool("pool6", x, k=3, stride=3, expect=(1024, 5, 5))
    x = b.fc("fc7", x, out=4096)
    x = b.fc("fc8", x, out=4096)
    b.fc("fc9", x, out=1000)
    return b.build()
