"""PyTorch -> Network: published totals, the zoo's layers, and hand-computed small cases."""

import sys

import pytest
from conftest import require

import accelsim
from accelsim.errors import WorkloadError
from accelsim.workload.torch_extract import from_torch


def _zoo(name):
    try:
        return accelsim.load_network(name)
    except WorkloadError:
        pytest.skip(f"zoo entry {name} is not registered yet")


def _signature(net):
    return [(layer.name, layer.nest, layer.params) for layer in net.mapped_layers]


@pytest.fixture(scope="module")
def torch():
    return require("torch")


@pytest.fixture(scope="module")
def models(torch):
    import extract_models

    return extract_models


def _torch_params(model, torch):
    """Parameters of the conv and linear modules as PyTorch counts them (BN excluded)."""
    kinds = (torch.nn.Conv2d, torch.nn.Linear)
    return sum(p.numel() for m in model.modules() if isinstance(m, kinds) for p in m.parameters())


# ---- the three acceptance networks ----------------------------------------------------------
@pytest.mark.parametrize("trace", ["fx", "hooks"])
def test_alexnet_matches_the_published_totals(models, torch, trace):
    model = models.AlexNet()
    net = from_torch(model, (3, 227, 227), name="alexnet", trace=trace)
    assert [layer.name for layer in net.mapped_layers] == ["conv1", "conv2", "conv3", "conv4", "conv5",
                                                           "fc6", "fc7", "fc8"]
    # Eyeriss tutorial table (seeds 003): AlexNet 724M MACs, 61M weights; conv1 34k params/105M MACs,
    # conv2 307k/224M, conv3 885k/150M. Exact: 2-tower conv2/4/5, 227 input, fc6 over 256x6x6.
    assert net.macs == 724_406_816
    assert net.params == _torch_params(model, torch) == 60_965_224
    conv1, conv2, conv3 = (net.layer(n) for n in ("conv1", "conv2", "conv3"))
    assert (round(conv1.params, -3), round(conv1.macs, -6)) == (35_000, 105_000_000)
    assert (round(conv2.weights, -3), round(conv2.macs, -6)) == (307_000, 224_000_000)
    assert (round(conv3.weights, -3), round(conv3.macs, -6)) == (885_000, 150_000_000)
    assert (conv2.G, conv2.C, conv2.M) == (2, 48, 128)
    fc6 = net.layer("fc6")
    assert (fc6.kind, fc6.C, fc6.H, fc6.W, fc6.R, fc6.S) == ("fc", 256, 6, 6, 6, 6)


def test_alexnet_equals_the_zoo_entry(models):
    net = from_torch(models.AlexNet(), (3, 227, 227), name="alexnet")
    assert _signature(net) == _signature(_zoo("alexnet"))


@pytest.mark.parametrize("trace", ["fx", "hooks"])
def test_resnet18_matches_torchvision_counts(models, torch, trace):
    model = models.ResNet18()
    net = from_torch(model, (3, 224, 224), name="resnet18", trace=trace)
    # torchvision resnet18: 11,689,512 parameters, of which 9,600 are BatchNorm gamma/beta
    # (2 x 4,800 channels); 1.81 GFLOPS (multiply-adds) in the torchvision model table.
    assert net.params == _torch_params(model, torch) == 11_689_512 - 9_600
    assert round(net.macs / 1e9, 2) == 1.81
    names = [layer.name for layer in net.mapped_layers]
    assert names[:3] == ["conv1", "layer1.0.conv1", "layer1.0.conv2"]
    assert names.index("layer2.0.downsample.0") == names.index("layer2.0.conv2") + 1
    assert names[-1] == "fc" and len(names) == 21
    fc = net.layer("fc")
    assert (fc.C, fc.H, fc.W, fc.bias) == (512, 1, 1, True)
    assert net.layer("conv1").bias is False


def test_resnet18_equals_the_zoo_entry(models):
    net = from_torch(models.ResNet18(), (3, 224, 224), name="resnet18")
    assert _signature(net) == _signature(_zoo("resnet18"))


@pytest.mark.parametrize("trace", ["fx", "hooks"])
def test_mobilenet_v1_matches_the_paper(models, torch, trace):
    model = models.MobileNetV1()
    net = from_torch(model, (3, 224, 224), name="mobilenet-v1", trace=trace)
    # Howard et al. 2017, Table 8: 1.0 MobileNet-224 has 569M mult-adds and 4.2M parameters.
    assert round(net.macs / 1e6) == 569
    assert round(net.params / 1e5) == 42
    assert net.params == _torch_params(model, torch)
    names = [layer.name for layer in net.mapped_layers]
    assert names[:3] == ["conv1", "conv2_1.dw", "conv2_1.pw"] and names[-3:] == ["conv6.dw", "conv6.pw", "fc"]
    dw = net.layer("conv5_6.dw")
    assert (dw.type, dw.G, dw.C, dw.M, dw.E, dw.bias) == ("dwconv", 512, 1, 1, 7, False)


def test_mobilenet_v1_equals_the_zoo_entry(models):
    net = from_torch(models.MobileNetV1(), (3, 224, 224), name="mobilenet-v1")
    assert _signature(net) == _signature(_zoo("mobilenet-v1"))


def test_hooks_and_fx_give_the_same_network(models):
    a = from_torch(models.ResNet18(), (3, 64, 64), trace="fx")
    b = from_torch(models.ResNet18(), (3, 64, 64), trace="hooks")
    assert a.layers == b.layers


# ---- hand-computed small cases --------------------------------------------------------------
def _one(torch, module, shape, **kw):
    net = from_torch(module, shape, **kw)
    return net.mapped_layers[0] if len(net.mapped_layers) == 1 else net


@pytest.mark.filterwarnings("ignore:Using padding='same'")
def test_same_padding_with_an_even_dilated_kernel_puts_the_extra_row_last(torch):
    # PyTorch 'same': total = d*(k-1); before = total // 2, after = the rest.
    # H: k=4, d=1 -> 3 -> (1, 2); W: k=2, d=3 -> 3 -> (1, 2).
    conv = torch.nn.Conv2d(4, 8, (4, 2), padding="same", dilation=(1, 3))
    layer = _one(torch, conv, (4, 10, 9))
    assert layer.padding == (1, 2, 1, 2) and (layer.E, layer.F) == (10, 9)
    assert layer.dilation == (1, 3)


def test_valid_padding_and_non_zero_padding_modes(torch):
    valid = _one(torch, torch.nn.Conv2d(3, 4, 3, padding="valid"), (3, 8, 8))
    assert valid.padding == (0, 0, 0, 0) and valid.E == 6
    reflect = _one(torch, torch.nn.Conv2d(3, 4, 5, padding=(2, 1), padding_mode="reflect"), (3, 8, 8))
    assert reflect.padding == (2, 2, 1, 1) and (reflect.E, reflect.F) == (8, 6)


def test_transposed_conv_output_padding_and_output_size(torch):
    up = torch.nn.ConvTranspose2d(16, 8, 5, stride=2, padding=2, output_padding=1, bias=False)
    layer = _one(torch, up, (16, 4, 4))
    assert (layer.transposed, layer.output_padding, layer.E, layer.F, layer.bias) == (True, (1, 1), 8, 8, False)

    class Sized(torch.nn.Module):  # output_size=8x7 asks for output_padding (1, 0) at forward time
        def __init__(self):
            super().__init__()
            self.up = torch.nn.ConvTranspose2d(16, 8, 5, stride=2, padding=2)

        def forward(self, x):
            return self.up(x, output_size=[8, 7])

    sized = _one(torch, Sized(), (16, 4, 4), trace="hooks")
    assert (sized.output_padding, sized.E, sized.F) == ((1, 0), 8, 7)


def test_linear_inputs_flattened_plain_and_sequence(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(4, 4, 1)
            self.fc1 = torch.nn.Linear(24, 20)
            self.fc2 = torch.nn.Linear(20, 5, bias=False)
            self.seq = torch.nn.Linear(6, 3)

        def forward(self, x):
            y = self.fc2(torch.relu(self.fc1(self.conv(x).reshape(x.shape[0], -1))))
            return y, self.seq(x.reshape(x.shape[0], 4, 6))

    net = from_torch(Net(), (4, 3, 2))
    fc1, fc2, seq = (net.layer(n) for n in ("fc1", "fc2", "seq"))
    assert (fc1.kind, fc1.C, fc1.H, fc1.W, fc1.R, fc1.S) == ("fc", 4, 3, 2, 3, 2)
    assert (fc2.kind, fc2.C, fc2.H, fc2.bias) == ("fc", 20, 1, False)
    # a Linear over (N, 4, 6): four independent 6 -> 3 products = a 1x1 conv over 4 positions
    assert (seq.kind, seq.C, seq.M, seq.H, seq.W, seq.macs) == ("conv", 6, 3, 4, 1, 4 * 6 * 3)


def test_pooling_layers_keep_the_traced_output_size(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = torch.nn.Conv2d(3, 8, 3, padding=1)
            self.pool = torch.nn.MaxPool2d(3, 2, ceil_mode=True)
            self.avg = torch.nn.AdaptiveAvgPool2d(1)

        def forward(self, x):
            return self.avg(self.pool(self.conv(x)))

    net = from_torch(Net(), (3, 112, 112))
    pool, avg = net.layer("pool"), net.layer("avg")
    # ceil_mode: ceil((112 - 3) / 2) + 1 = 56 (floor would give 55)
    assert (pool.kind, pool.E, pool.F, pool.pool_op) == ("pool", 56, 56, "max")
    assert (avg.R, avg.S, avg.stride, avg.E, avg.pool_op) == (56, 56, (1, 1), 1, "avg")


def test_functional_calls_and_a_module_called_twice(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.weight = torch.nn.Parameter(torch.zeros(6, 3, 3, 3))
            self.shared = torch.nn.Conv2d(6, 6, 1)

        def forward(self, x):
            x = torch.nn.functional.conv2d(x, self.weight, None, 2, 1)
            x = torch.nn.functional.max_pool2d(x, 2)
            return self.shared(self.shared(x))

    net = from_torch(Net(), (3, 16, 16))
    names = [layer.name for layer in net.layers]
    assert names == ["conv2d", "max_pool2d", "shared", "shared@2"]
    conv = net.layer("conv2d")
    assert (conv.M, conv.C, conv.E, conv.stride, conv.bias) == (6, 3, 8, (2, 2), False)


def test_control_flow_falls_back_to_hooks_and_fx_only_refuses(torch):
    class Branchy(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.a = torch.nn.Conv2d(3, 4, 3)
            self.b = torch.nn.Conv2d(3, 4, 5)

        def forward(self, x):
            return self.a(x) if x.sum() >= 0 else self.b(x)

    net = from_torch(Branchy(), (3, 9, 9))
    assert [layer.name for layer in net.layers] == ["a"] and "hooks" in net.source
    with pytest.raises(WorkloadError, match="torch.fx cannot trace Branchy"):
        from_torch(Branchy(), (3, 9, 9), trace="fx")


def test_batch_training_flag_and_bad_arguments(torch, models):
    model = models.AlexNet().train()
    model.drop.eval()  # a mixed state must come back as it was
    net = from_torch(model, (3, 227, 227), batch=4)
    assert model.training and model.conv1.training and not model.drop.training
    assert net.batch == 4 and {layer.N for layer in net.layers} == {4}
    with pytest.raises(WorkloadError, match="model forward failed for input \\[1, 4, 227, 227\\]"):
        from_torch(model, (4, 227, 227))
    with pytest.raises(WorkloadError, match="input_shape must be \\(C, H, W\\)"):
        from_torch(model, (227, 227))
    with pytest.raises(WorkloadError, match="needs a torch.nn.Module"):
        from_torch("alexnet", (3, 227, 227))


def test_unsupported_modules_are_named(torch):
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.body = torch.nn.Sequential(torch.nn.Conv3d(1, 2, 3))

        def forward(self, x):
            return self.body(x.unsqueeze(1))

    with pytest.raises(WorkloadError, match=r"module body\.0 \(Conv3d\) is not supported"):
        from_torch(Net(), (4, 8, 8))


def test_missing_torch_is_a_workload_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` raise ImportError
    with pytest.raises(WorkloadError, match=r"PyTorch is not installed; pip install 'accelsim\[torch\]'"):
        from_torch(object(), (3, 8, 8))
