"""The AlphaGo policy network (Silver et al., "Mastering the game of Go with deep neural networks
and tree search", Nature 529, 2016, Methods, "Neural network architecture"): a 19x19 board with
48 input feature planes; conv1 k filters of 5x5 (pad 2), then 11 layers of k 3x3 filters (pad 1),
then a 1x1 conv with one filter and a softmax over the 361 points. The paper's match version uses
k = 192 and compares k = 128, 256, 384 (Extended Data Table 3). Each conv has one bias per filter
(the final layer's position-dependent biases, 361 in the paper, are counted here as one)."""

from accelsim.workload.builder import NetworkBuilder
from accelsim.workload.zoo import zoo_network

SOURCE = "Silver et al., Nature 2016, Methods (policy network); Extended Data Table 3 (k = 128..384)"


def _policy(k: int, batch: int, input_shape=None):
    name = f"alphago-k{k}"
    b = NetworkBuilder(name, input_shape or (48, 19, 19), batch=batch, source=SOURCE, check_shapes=input_shape is None)
    x = b.conv("conv1", b.input, out=k, k=5, pad=2, expect=(k, 19, 19))
    for i in range(2, 13):
        x = b.conv(f"conv{i}", x, out=k, k=3, pad=1, expect=(k, 19, 19))
    b.conv("conv13", x, out=1, k=1, expect=(1, 19, 19))
    return b.build()


def _register(k: int):
    weights = 48 * k * 25 + 11 * k * k * 9 + k
    zoo_network(f"alphago-k{k}", source=SOURCE,
                notes=f"{weights:,} weights; every layer on the 19x19 board (361 positions)")(
        lambda batch=1, input_shape=None: _policy(k, batch, input_shape))


for _k in (128, 192, 256, 384):
    _register(_k)
