"""Timeloop problem YAML: lossless round trips of zoo networks, hand-written problems read with
the CNN-layer projection, and the padded-input rule."""

import pytest
import yaml

import accelsim
from accelsim.errors import UsageError, WorkloadError
from accelsim.workload import NetworkBuilder, timeloop
from accelsim.workload.files import read_network_file

ZOO = ["lenet5", "resnet18", "resnext50-32x4d", "squeezenet1.0",
       "mobilenet-v1", "shufflenet-v1", "pyramidnet110-a48", "alexnet"]


def _zoo(name, batch=1):
    try:
        return accelsim.load_network(name, batch=batch)
    except WorkloadError:
        pytest.skip(f"zoo entry {name} is not registered yet")


def _odd_network():
    """Asymmetric kernels, strides, dilation and padding, and a transposed conv: the cases where
    mixing up Timeloop's width/height letters would show."""
    b = NetworkBuilder("odd", (16, 9, 11), source="hand-made")
    x = b.tconv("up", b.input, out=8, k=(5, 3), stride=(2, 3), pad=(2, 1), output_padding=(1, 2), bias=False)
    x = b.conv("c1", x, out=12, k=(3, 2), stride=(2, 1), pad=(1, 0, 2, 1), dilation=(2, 1), groups=4)
    x = b.dwconv("dw", x, k=3, pad=1, multiplier=2)
    b.fc("fc", x, out=10)
    return b.build()


@pytest.mark.parametrize("name", ZOO)
@pytest.mark.parametrize("form", ["folder", "file"])
def test_zoo_networks_round_trip_exactly(tmp_path, name, form):
    net = _zoo(name)
    out = tmp_path / ("net.yaml" if form == "file" else "net")
    timeloop.write_timeloop(net, out)
    back = read_network_file(out)
    assert back.mapped_layers == net.mapped_layers  # names, shapes, padding, bias: every field
    assert (back.name, back.input_shape, back.batch) == (net.name, net.input_shape, 1)


def test_odd_layers_round_trip_with_and_without_the_accelsim_block(tmp_path):
    net = _odd_network().with_batch(3)
    timeloop.write_timeloop(net, tmp_path / "odd")
    assert read_network_file(tmp_path / "odd").mapped_layers == net.mapped_layers
    # Timeloop itself only reads `problem`: without our block the loop nests still match
    for path in (tmp_path / "odd").iterdir():
        doc = yaml.safe_load(path.read_text())
        del doc["accelsim"]
        path.write_text(yaml.safe_dump(doc))
    bare = read_network_file(tmp_path / "odd")
    assert [layer.nest for layer in bare.mapped_layers] == [layer.nest for layer in net.mapped_layers]
    assert [layer.name for layer in bare.mapped_layers] == ["000_up", "001_c1", "002_dw", "003_fc"]
    assert bare.batch == 3
    # zero padding, padded input: the transposed conv comes back as its direct equivalent
    up = bare.mapped_layers[0]
    # rows: (9-1)*2+1 = 17 zero-inserted + (5-1-2) top + (5-1-2+1) bottom; cols: (11-1)*3+1 = 31 + 1 + 3
    assert (up.transposed, up.padding, up.H, up.W) == (False, (0, 0, 0, 0), 17 + 2 + 3, 31 + 1 + 3)


def test_exported_instance_follows_the_cnn_layer_projection():
    # Timeloop: input width index = R*Wdilation + P*Wstride, height = S*Hdilation + Q*Hstride,
    # so the rows/cols the problem touches must be what accelsim's loop nest touches.
    net = _odd_network()
    for layer in net.mapped_layers:
        inst = yaml.safe_load(timeloop.problem_text(layer, net))["problem"]["instance"]
        width = (inst["P"] - 1) * inst["Wstride"] + (inst["R"] - 1) * inst["Wdilation"] + 1
        height = (inst["Q"] - 1) * inst["Hstride"] + (inst["S"] - 1) * inst["Hdilation"] + 1
        assert (height, width) == (layer.nest.ifmap_h, layer.nest.ifmap_w)
        macs = inst["N"] * inst.get("G", 1) * inst["M"] * inst["C"] * inst["P"] * inst["Q"] * inst["R"] * inst["S"]
        assert macs == layer.nest.macs


def test_a_hand_written_problem_gets_the_padded_input(tmp_path):
    # Written as a Timeloop user would (K for M, no accelsim block). Width axis: R=3, P=10,
    # Wstride=1, Wdilation=2 -> W = 9*1 + 2*2 + 1 = 14. Height: S=5, Q=6, Hstride=2 -> H = 5*2 + 4 + 1 = 15.
    (tmp_path / "conv3.yaml").write_text(
        "problem:\n"
        "  instance: {C: 8, K: 16, R: 3, S: 5, N: 2, P: 10, Q: 6, Hstride: 2, Wstride: 1, Wdilation: 2}\n")
    layer = read_network_file(tmp_path / "conv3.yaml").layer("conv3")
    assert (layer.M, layer.C, layer.R, layer.S, layer.E, layer.F) == (16, 8, 5, 3, 6, 10)
    assert (layer.H, layer.W, layer.padding, layer.stride, layer.dilation) == (15, 14, (0, 0, 0, 0), (2, 1), (1, 2))
    assert layer.N == 2 and layer.macs == 2 * 16 * 8 * 6 * 10 * 5 * 3


def test_depthwise_and_grouped_problem_forms(tmp_path):
    # Timeloop's dw-cnn-layer shape has no M: one filter per channel
    (tmp_path / "dw.yaml").write_text(
        "problem:\n  shape: {name: dw-cnn-layer, dimensions: [R, S, P, Q, C, N]}\n"
        "  instance: {C: 32, R: 3, S: 3, P: 56, Q: 56, N: 1}\n")
    dw = read_network_file(tmp_path / "dw.yaml").mapped_layers[0]
    assert (dw.type, dw.G, dw.C, dw.M, dw.name) == ("dwconv", 32, 1, 1, "dw")
    # pytorch2timeloop style: Groups key, the layer name in shape.name
    (tmp_path / "g.yaml").write_text(
        "problem:\n  shape: {name: layer2_conv}\n"
        "  instance: {Groups: 2, C: 48, M: 128, R: 5, S: 5, N: 1, P: 27, Q: 27}\n")
    g = read_network_file(tmp_path / "g.yaml").mapped_layers[0]
    assert (g.name, g.G, g.C, g.M, g.weights) == ("layer2_conv", 2, 48, 128, 307_200)


def test_a_tampered_instance_is_caught_by_the_accelsim_block(tmp_path):
    net = _zoo("lenet5")
    text = timeloop.problem_text(net.layer("c3"), net, 1).replace("P: 10\n", "P: 9\n")
    (tmp_path / "c.yaml").write_text(text)
    with pytest.raises(WorkloadError, match=r"accelsim block \(layer c3\) disagrees with problem.instance"):
        read_network_file(tmp_path / "c.yaml")


def test_batch_argument_overrides_the_problems_n(tmp_path):
    timeloop.write_timeloop(_zoo("lenet5", batch=4), tmp_path / "l.yaml")
    assert read_network_file(tmp_path / "l.yaml").batch == 4
    assert {layer.N for layer in read_network_file(tmp_path / "l.yaml", batch=2).layers} == {2}


def test_re_export_replaces_its_own_folder_but_not_a_foreign_one(tmp_path):
    out = tmp_path / "out"
    timeloop.write_timeloop(_zoo("resnet18"), out)
    assert len(list(out.iterdir())) == 21
    timeloop.write_timeloop(_zoo("lenet5"), out)
    assert sorted(p.name for p in out.iterdir()) == ["000_c1.yaml", "001_c3.yaml", "002_c5.yaml",
                                                     "003_f6.yaml", "004_output.yaml"]
    (out / "notes.txt").write_text("mine")
    with pytest.raises(UsageError, match="holds files accelsim did not write"):
        timeloop.write_timeloop(_zoo("resnet18"), out)
    assert len(list(out.iterdir())) == 6
