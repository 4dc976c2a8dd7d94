"""ZFNet (Zeiler, Fergus, "Visualizing and Understanding Convolutional Networks", ECCV 2014, Fig. 3).

224x224x3 input; conv1 96@7x7/2 (pad 1) -> 110x110, 3x3/2 max pool -> 55x55, contrast norm;
conv2 256@5x5/2 -> 26x26, 3x3/2 pool -> 13x13, norm; conv3 384, conv4 384, conv5 256 (3x3, pad 1),
3x3/2 pool -> 6x6; fc6 4096, fc7 4096, fc8 1000. Pools round up (Caffe) as Fig. 3's sizes require
(110 -> 55, 26 -> 13). Every conv and fc has a bias. The paper gives no parameter or MAC totals;
Fig. 3's feature-map sizes are checked at every stage."""

from accelsim.workload.builder import NetworkBuilder
from accelsim.workload.zoo import zoo_network

SOURCE = "Zeiler & Fergus, Visualizing and Understanding Convolutional Networks, ECCV 2014, Fig. 3"


@zoo_network("zfnet", source=SOURCE, aliases=("zf-net", "zeiler-fergus"),
             notes="Fig. 3 shapes; no published totals: 62,357,608 params (62,347,040 weights + 10,568 biases), "
             "1,168,032,896 MACs (conv 1,109,410,944).")
def zfnet(batch: int = 1, input_shape=None):
    b = NetworkBuilder("zfnet", input_shape or (3, 224, 224), batch=batch, source=SOURCE,
                       check_shapes=input_shape is None)
    x = b.conv("conv1", b.input, out=96, k=7, stride=2, pad=1, expect=(96, 110, 110))
    x = b.pool("pool1", x, k=3, stride=2, ceil_mode=True, expect=(96, 55, 55))
    x = b.norm("norm1", x)
    x = b.conv("conv2", x, out=256, k=5, stride=2, expect=(256, 26, 26))
    x = b.pool("pool2", x, k=3, stride=2, ceil_mode=True, expect=(256, 13, 13))
    x = b.norm("norm2", x)
    x = b.conv("conv3", x, out=384, k=3, pad=1, expect=(384, 13, 13))
    x = b.conv("conv4", x, out=384, k=3, pad=1, expect=(384, 13, 13))
    x = b.conv("conv5", x, out=256, k=3, pad=1, expect=(256, 13, 13))
    x = b.pool("pool5", x, k=3, stride=2, ceil_mode=True, expect=(256, 6, 6))
    x = b.fc("fc6", x, out=4096)
    x = b.fc("fc7", x, out=4096)
    b.fc("fc8", x, out=1000)
    return b.build()
