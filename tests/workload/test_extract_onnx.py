"""ONNX -> Network: the torch acceptance models exported to ONNX, and hand-built graphs whose
attributes (pads order, auto_pad, transB, ...) are checked against hand-computed shapes."""

import warnings

import numpy as np
import pytest
from conftest import require

import accelsim
from accelsim.errors import WorkloadError
from accelsim.workload.onnx_extract import from_onnx


@pytest.fixture(scope="module")
def onnx():
    return require("onnx")


def _export(torch, model, shape, path, dynamic_batch=False):
    """The legacy TorchScript exporter (needs only `onnx`; the dynamo one also needs onnxscript)."""
    kw = {"dynamic_axes": {"x": {0: "batch"}}} if dynamic_batch else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model.eval(), (torch.zeros(1, *shape),), str(path), input_names=["x"], dynamo=False, **kw)
    return path


def _nests(net):
    return [layer.nest for layer in net.mapped_layers]


# ---- exported torch models --------------------------------------------------------------------
@pytest.mark.parametrize("model_name, shape, zoo_name", [
    ("AlexNet", (3, 227, 227), "alexnet"),
    ("ResNet18", (3, 224, 224), "resnet18"),
    ("MobileNetV1", (3, 224, 224), "mobilenet-v1"),
])
def test_exported_models_extract_to_the_torch_and_zoo_nests(onnx, tmp_path, model_name, shape, zoo_name):
    torch = require("torch")
    from extract_models import get

    from accelsim.workload.torch_extract import from_torch

    model = get(model_name)
    net = from_onnx(_export(torch, model, shape, tmp_path / f"{zoo_name}.onnx"))
    ref = from_torch(model, shape)
    assert _nests(net) == _nests(ref)
    assert net.name == zoo_name and net.input_shape == shape and net.batch == 1
    assert net.macs == ref.macs
    try:
        zoo = accelsim.load_network(zoo_name)
    except WorkloadError:
        pytest.skip(f"zoo entry {zoo_name} is not registered yet")
    assert _nests(net) == _nests(zoo)


def test_dynamic_batch_dimension_and_the_batch_argument(onnx, tmp_path):
    torch = require("torch")
    from extract_models import get

    path = _export(torch, get("ResNet18"), (3, 64, 64), tmp_path / "r.onnx", dynamic_batch=True)
    net = from_onnx(path, batch=3, name="r18")
    assert net.name == "r18" and net.batch == 3 and {layer.N for layer in net.layers} == {3}
    fc = net.mapped_layers[-1]
    assert (fc.kind, fc.C, fc.H, fc.W, fc.M) == ("fc", 512, 1, 1, 1000)


# ---- hand-built graphs ----------------------------------------------------------------------
def _model(onnx, nodes, inputs, outputs, inits, path):
    from onnx import TensorProto, helper, numpy_helper

    graph = helper.make_graph(
        nodes, "g",
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, s) for n, s in inputs],
        [helper.make_tensor_value_info(n, TensorProto.FLOAT, None) for n in outputs],
        [numpy_helper.from_array(np.zeros(s, dtype=np.float32), name=n) for n, s in inits])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.save(model, str(path))
    return path


def test_conv_pads_are_reordered_to_top_bottom_left_right(onnx, tmp_path):
    from onnx import helper

    # pads [top, left, bottom, right] = [1, 2, 3, 0]; stride (2, 1); dilation (1, 2); 2 groups
    node = helper.make_node("Conv", ["x", "w"], ["y"], name="c1", pads=[1, 2, 3, 0], strides=[2, 1],
                            dilations=[1, 2], group=2)
    path = _model(onnx, [node], [("x", [1, 4, 10, 9])], ["y"], [("w", [6, 2, 3, 3])], tmp_path / "c.onnx")
    layer = from_onnx(path).layer("c1")
    assert layer.padding == (1, 3, 2, 0)
    assert (layer.G, layer.C, layer.M, layer.stride, layer.dilation, layer.bias) == (2, 2, 3, (2, 1), (1, 2), False)
    # E = floor((10 + 1 + 3 - 1*2 - 1) / 2) + 1 = 6 ; F = floor((9 + 2 + 0 - 2*2 - 1) / 1) + 1 = 7
    assert (layer.E, layer.F) == (6, 7)


@pytest.mark.parametrize("auto_pad, expected", [("SAME_UPPER", (1, 2, 1, 2)), ("SAME_LOWER", (2, 1, 2, 1)),
                                                ("VALID", (0, 0, 0, 0))])
def test_auto_pad(onnx, tmp_path, auto_pad, expected):
    from onnx import helper

    # k=4 on 7x7, stride 1: SAME needs 3 padding rows; UPPER puts the odd one at the end
    node = helper.make_node("Conv", ["x", "w", "b"], ["y"], name="c", auto_pad=auto_pad)
    path = _model(onnx, [node], [("x", [1, 3, 7, 7])], ["y"], [("w", [5, 3, 4, 4]), ("b", [5])], tmp_path / "a.onnx")
    layer = from_onnx(path).layer("c")
    assert layer.padding == expected and layer.bias
    assert layer.E == (7 if auto_pad != "VALID" else 4)


@pytest.mark.parametrize("auto_pad, pads", [("NOTSET", (2, 1, 2, 1)), ("SAME_UPPER", (1, 2, 1, 2))])
def test_conv_transpose_output_shape_becomes_padding(onnx, tmp_path, auto_pad, pads):
    from onnx import helper

    # 4x4 -> 8x8, k=5, stride 2: total padding = 2*(4-1) + 0 + 5 - 8 = 3; the ONNX spec puts the
    # larger half at the beginning unless auto_pad is SAME_UPPER
    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="up", strides=[2, 2], output_shape=[8, 8],
                            auto_pad=auto_pad)
    path = _model(onnx, [node], [("x", [1, 16, 4, 4])], ["y"], [("w", [16, 8, 5, 5])], tmp_path / "t.onnx")
    layer = from_onnx(path).layer("up")
    assert (layer.transposed, layer.M, layer.C, layer.padding, layer.E, layer.F) == (True, 8, 16, pads, 8, 8)


def test_conv_transpose_output_padding(onnx, tmp_path):
    from onnx import helper

    node = helper.make_node("ConvTranspose", ["x", "w"], ["y"], name="up", strides=[2, 2], pads=[2, 2, 2, 2],
                            output_padding=[1, 1], group=2)
    path = _model(onnx, [node], [("x", [1, 16, 4, 4])], ["y"], [("w", [16, 4, 5, 5])], tmp_path / "t2.onnx")
    layer = from_onnx(path).layer("up")
    assert (layer.G, layer.M, layer.C, layer.E, layer.F, layer.output_padding) == (2, 4, 8, 8, 8, (1, 1))


def test_gemm_transb_and_matmul_bias(onnx, tmp_path):
    from onnx import helper

    nodes = [helper.make_node("Flatten", ["x"], ["f"]),
             helper.make_node("Gemm", ["f", "w1", "b1"], ["h"], transB=1),       # w1 is (out, in)
             helper.make_node("Gemm", ["h", "w2"], ["g"]),                        # w2 is (in, out)
             helper.make_node("MatMul", ["g", "w3"], ["m"], name="proj"),
             helper.make_node("Add", ["m", "b3"], ["y"])]
    inits = [("enc.weight", [1, 1]), ("w1", [10, 24]), ("b1", [10]), ("w2", [10, 7]), ("w3", [7, 5]), ("b3", [5])]
    path = _model(onnx, nodes, [("x", [2, 4, 3, 2])], ["y"], inits, tmp_path / "g.onnx")
    net = from_onnx(path)
    first, second, proj = net.mapped_layers
    assert (first.name, first.C, first.H, first.W, first.M, first.bias) == ("w1", 4, 3, 2, 10, True)
    assert (second.name, second.C, second.M, second.bias) == ("w2", 10, 7, False)
    assert (proj.name, proj.C, proj.M, proj.bias) == ("proj", 7, 5, True)
    assert net.batch == 2  # the model's static batch size


def test_pools_and_weight_name_stems(onnx, tmp_path):
    from onnx import helper

    nodes = [helper.make_node("Conv", ["x", "enc.conv.weight"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("MaxPool", ["c"], ["p"], kernel_shape=[3, 3], strides=[2, 2], ceil_mode=1),
             helper.make_node("GlobalAveragePool", ["p"], ["y"])]
    path = _model(onnx, nodes, [("x", [1, 3, 112, 112])], ["y"], [("enc.conv.weight", [8, 3, 3, 3])],
                  tmp_path / "p.onnx")
    net = from_onnx(path)
    assert [layer.name for layer in net.layers] == ["enc.conv", "maxpool_1", "globalaveragepool_2"]
    pool, gap = net.layers[1], net.layers[2]
    assert (pool.E, pool.F, pool.pool_op) == (56, 56, "max")  # ceil((112 - 3) / 2) + 1
    assert (gap.R, gap.S, gap.E, gap.pool_op) == (56, 56, 1, "avg")


def test_errors_name_the_node_or_the_file(onnx, tmp_path):
    from onnx import helper

    conv = helper.make_node("Conv", ["x", "w"], ["y"], name="c7")
    dyn = _model(onnx, [conv], [("x", [1, 3, "height", 8])], ["y"], [("w", [4, 3, 3, 3])], tmp_path / "d.onnx")
    with pytest.raises(WorkloadError, match=r"d\.onnx: node c7 \(Conv\): input shape is \[1, 3, \?, 8\].*dynamic"):
        from_onnx(dyn)
    mm = helper.make_node("MatMul", ["x", "x2"], ["y"], name="attn")
    two = _model(onnx, [mm], [("x", [1, 4, 4]), ("x2", [1, 4, 4])], ["y"], [], tmp_path / "m.onnx")
    with pytest.raises(WorkloadError, match="node attn .*MatMul of two activations"):
        from_onnx(two)
    good = _model(onnx, [conv], [("x", [1, 3, 8, 8])], ["y"], [("w", [4, 3, 3, 3])], tmp_path / "ok.onnx")
    (tmp_path / "cut.onnx").write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(WorkloadError, match=r"cut\.onnx: not a valid ONNX model"):
        from_onnx(tmp_path / "cut.onnx")
    (tmp_path / "text.onnx").write_text("layer,M,C\nconv1,3,3\n")
    with pytest.raises(WorkloadError, match=r"text\.onnx: not a valid ONNX model"):
        from_onnx(tmp_path / "text.onnx")
    grouped = helper.make_node("Conv", ["x", "w"], ["y"], name="g3", group=3)
    bad = _model(onnx, [grouped], [("x", [1, 8, 8, 8])], ["y"], [("w", [6, 2, 3, 3])], tmp_path / "g.onnx")
    with pytest.raises(WorkloadError, match="node g3 .*not both divisible by 3 groups"):
        from_onnx(bad)


def test_default_torch_exporter_works_with_the_onnx_extra(onnx, tmp_path):
    """`torch.onnx.export` with its defaults (the dynamo exporter, which needs onnxscript from the
    onnx extra) gives a file whose layers are the model's: same loop nests as from_torch."""
    torch = require("torch")
    require("onnxscript")
    from torch import nn

    model = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1, groups=8),
                          nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 10)).eval()
    path = tmp_path / "small.onnx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.zeros(1, 3, 32, 32),), str(path))
    assert {"from_torch", "from_onnx"} <= set(accelsim.__all__)  # top level, as the README shows
    net = accelsim.from_onnx(path)
    ref = accelsim.from_torch(model, (3, 32, 32))
    assert _nests(net) == _nests(ref)
    assert [layer.type for layer in net.mapped_layers] == ["conv", "dwconv", "fc"]
    assert net.macs == 3 * 8 * 9 * 16 * 16 + 8 * 9 * 16 * 16 + 8 * 10  # hand count
