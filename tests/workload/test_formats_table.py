"""Layer tables: `accelsim layers X --format csv > a.csv && accelsim layers a.csv` reproduces the
table; YAML round-trips exactly; user tables are checked against the derived values."""

import pytest

import accelsim
from accelsim.cli import main
from accelsim.errors import WorkloadError
from accelsim.workload import NetworkBuilder, table
from accelsim.workload.files import read_network_file

ZOO = ["lenet5", "resnet18", "resnext50-32x4d", "squeezenet1.0", "densenet121",
       "mobilenet-v1", "shufflenet-v1", "pyramidnet110-a48", "alexnet"]


def _zoo(name, batch=1):
    try:
        return accelsim.load_network(name, batch=batch)
    except WorkloadError:
        pytest.skip(f"zoo entry {name} is not registered yet")


def _layers(capsys, *argv):
    assert main(["layers", *argv]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("name", ZOO)
@pytest.mark.parametrize("fmt, suffix", [("csv", "csv"), ("json", "json")])
def test_layers_output_reads_back_to_the_same_table(tmp_path, capsys, name, fmt, suffix):
    _zoo(name)
    for extra in ([], ["--all"], ["--batch", "4"]):
        text = _layers(capsys, name, "--format", fmt, *extra)
        path = tmp_path / f"a.{suffix}"
        path.write_text(text)
        again = _layers(capsys, str(path), "--format", fmt, *extra[:1] if extra == ["--all"] else [])
        if fmt == "json":  # meta.source names the zoo paper in one, the file in the other
            import json

            assert json.loads(again)["rows"] == json.loads(text)["rows"]
        else:
            assert again == text


def test_the_table_file_keeps_its_batch_unless_asked(tmp_path, capsys):
    path = tmp_path / "b.csv"
    path.write_text(_layers(capsys, "lenet5", "--format", "csv", "--batch", "4"))
    assert read_network_file(path).batch == 4
    assert {layer.N for layer in read_network_file(path, batch=2).layers} == {2}


@pytest.mark.parametrize("name", ZOO)
def test_yaml_round_trips_every_field(tmp_path, name):
    net = _zoo(name, batch=2)
    (tmp_path / "n.yaml").write_text(table.table_yaml(net))
    back = read_network_file(tmp_path / "n.yaml")
    assert back == net  # layers (pool ops and pooled sizes too), input shape, batch, source, notes
    assert back.layers == net.layers


def test_yaml_round_trips_transposed_and_odd_layers(tmp_path):
    b = NetworkBuilder("odd", (16, 9, 11), source="hand-made", notes="asymmetric everything")
    x = b.tconv("up", b.input, out=8, k=(5, 3), stride=(2, 3), pad=(2, 1), output_padding=(1, 2), bias=False)
    x = b.conv("c1", x, out=12, k=(3, 2), stride=(2, 1), pad=(1, 0, 2, 1), dilation=(2, 1), groups=4)
    x = b.pool("p", x, k=3, stride=2, ceil_mode=True, op="avg")
    b.concat("cat", x, x)
    net = b.build()
    (tmp_path / "o.yaml").write_text(table.table_yaml(net))
    assert read_network_file(tmp_path / "o.yaml") == net
    # the CSV has no output_padding column: it is recovered from E and F
    (tmp_path / "o.csv").write_text(table.table_csv(net))
    assert read_network_file(tmp_path / "o.csv").layer("up") == net.layer("up")


def test_a_hand_written_csv_with_axis_forms(tmp_path):
    (tmp_path / "mine.csv").write_text(
        "layer,type,G,M,C,H,W,R,S,stride,pad,dilation,E,params\n"
        "c1,conv,1,8,3,32,30,3,5,\"2,1\",\"1,0,2,2\",1,16,360\n"
        "c2,gconv,2,4,4,16,30,3,3,1,\"1,1\",\"2,2\",,\n"
        "fc,fc,,10,16,16,30,16,30,,,,,\n")
    net = read_network_file(tmp_path / "mine.csv")
    c1, c2, fc = net.mapped_layers
    # E = floor((32 + 1 + 0 - 3) / 2) + 1 = 16 ; F = floor((30 + 2 + 2 - 5) / 1) + 1 = 30
    assert (c1.E, c1.F, c1.stride, c1.padding) == (16, 30, (2, 1), (1, 0, 2, 2))
    assert c1.bias is False  # params 360 = 8*3*3*5 weights exactly: no bias
    assert (c2.G, c2.C, c2.M, c2.dilation, c2.E, c2.F) == (2, 4, 4, (2, 2), 14, 28)
    assert c2.bias is True  # no params column value: the default
    assert (fc.kind, fc.macs) == ("fc", 10 * 16 * 16 * 30)
    assert net.name == "mine" and net.input_shape == (3, 32, 30)


@pytest.mark.parametrize("row, words", [
    ("c1,conv,8,3,32,32,3,3,1,1,31,", "line 2 (layer c1): E is 31, but the shape gives 32"),
    ("c1,conv,8,3,32,32,3,3,1,1,,300", "line 2 (layer c1): params is 300, but the shape gives 216 weights (224 "),
    ("c1,dwconv,8,3,32,32,3,3,1,1,,", "line 2 (layer c1): type is dwconv, but G=1, C=3 make it a conv"),
    ("c1,conv,8,3,32,32,3,3,\"1,2,3\",1,,",
     "line 2 (layer c1): stride must be 'n' or 'h,w' with integers >= 1, got '1,2,3'"),
    ("c1,conv,8,3,32,32,3,3,1,-1,,", "line 2 (layer c1): pad must be 'n' or 'h,w' or 't,b,l,r' with integers >= 0"),
    ("c1,tconv,8,3,4,4,3,3,2,1,9,", "line 2 (layer c1): output_padding 2 must be smaller than stride 2"),
])
def test_row_errors_name_the_line_layer_and_field(tmp_path, row, words):
    (tmp_path / "t.csv").write_text("layer,type,M,C,H,W,R,S,stride,pad,E,params\n" + row + "\n")
    with pytest.raises(WorkloadError, match=words.replace("(", r"\(").replace(")", r"\)")):
        read_network_file(tmp_path / "t.csv")


def test_table_level_errors(tmp_path):
    cases = {
        "a.csv": ("network,layer,M,C,H,W,R,S\nn1,c1,4,3,8,8,3,3\nn2,c2,4,4,6,6,3,3\n",
                  r"line 3: network is 'n2', but earlier rows say 'n1'"),
        "b.csv": ("layer,N,M,C,H,W,R,S\nc1,1,4,3,8,8,3,3\nc2,2,4,4,6,6,3,3\n", r"line 3: N is 2, but the first row"),
        "c.csv": ("layer,M,C,H,W,R,S\nc1,4,3,8,8,3,3\nc1,4,4,6,6,3,3\n", r"line 3: duplicate layer name 'c1'"),
        "d.yaml": ("name: x\nlayers:\n  - {name: c1, M: 4, C: 3, H: 8, W: 8, R: 3, S: 3, strid: 2}\n",
                   r"layers\[0\]: unknown key 'strid'"),
        "e.yaml": ("name: x\ninput_shape: [3, 8]\nlayers:\n  - {name: c1, M: 4, C: 3, H: 8, W: 8, R: 3, S: 3}\n",
                   r"input_shape must be \[C, H, W\]"),
    }
    for file, (text, words) in cases.items():
        (tmp_path / file).write_text(text)
        with pytest.raises(WorkloadError, match=words):
            read_network_file(tmp_path / file)
