"""The bad-input catalogue (issue 7), part 3: every CLI command and the Python API, fed malformed,
empty, huge, binary, wrong-type and unknown inputs. The CLI ends with exit code 2 and exactly one
stderr line that names the problem (no traceback); the API raises a typed AccelsimError whose one
line names it. Parts 1 and 2 are tests/workload/test_workload_bad_input.py (workload files:
layer tables, Timeloop, SCALE-Sim, ONNX) and tests/arch/test_hw_bad_configs.py (hardware YAML)."""

import pytest

import accelsim
from accelsim.cli import main
from accelsim.errors import AccelsimError, ConfigError, NoMappingError, ShapeError, UsageError, WorkloadError
from accelsim.workload.layer import Layer

# files written into the test's folder before the CLI cases run: name -> bytes
FILES = {
    "toplist.yaml": b"- a\n- b\n",
    "strlayers.yaml": b"name: x\nlayers: abc\n",
    "nolayers.yaml": b"\xef\xbb\xbfname: x\nlayers: []\n",
    "rowsnum.json": b'{"rows": 5}',
    "extra.csv": b"layer,M,C,H,W,R,S\nc1,4,3,8,8,3,3,9,9\n",
    "empty.onnx": b"",
    "hugeM.csv": b"layer,M,C,H,W,R,S\nc1,10000000,3,8,8,3,3\n",
    "hugemacs.csv": b"layer,M,C,H,W,R,S\nc1,1048576,1048576,1048,1048,3,3\n",
    "stride3.yaml": b"name: x\nlayers:\n  - {name: c1, M: 4, C: 3, H: 8, W: 8, R: 3, S: 3, stride: [1, 2, 3]}\n",
    "dupname.yaml": b"name: x\nlayers:\n  - {name: c1, M: 4, C: 3, H: 8, W: 8, R: 3, S: 3}\n"
                    b"  - {name: c1, M: 4, C: 3, H: 8, W: 8, R: 3, S: 3}\n",
    "hw_scalar.yaml": b"x",
    "hw_list.yaml": b"pe_array: [1, 2]\n",
    "hw_binary.yaml": bytes(range(128, 256)) * 20,
}

# (case id, argv, words the one stderr line must contain)
CLI = [
    ("no-command", [], ["required: COMMAND"]),
    ("unknown-command", ["frobnicate"], ["invalid choice: 'frobnicate'"]),
    ("unknown-flag", ["run", "lenet5", "--colour", "red"], ["unrecognized arguments: --colour"]),
    ("list-unknown-kind", ["list", "bogus"], ["invalid choice: 'bogus'"]),
    ("layers-unknown-network", ["layers", "alexnett"], ["unknown network 'alexnett'"]),
    ("layers-batch-zero", ["layers", "lenet5", "--batch", "0"], ["--batch", "positive integer", "'0'"]),
    ("layers-batch-negative", ["layers", "lenet5", "--batch", "-3"], ["--batch", "positive integer", "'-3'"]),
    ("layers-batch-huge", ["layers", "lenet5", "--batch", "99999999999"], ["N is 99,999,999,999", "limit"]),
    ("layers-format-unknown", ["layers", "lenet5", "--format", "yaml"], ["--format", "invalid choice: 'yaml'"]),
    ("layers-top-level-list", ["layers", "toplist.yaml"], ["toplist.yaml", "found list"]),
    ("layers-not-a-list", ["layers", "strlayers.yaml"], ["strlayers.yaml", "layers must be a non-empty list"]),
    ("layers-empty-list", ["layers", "nolayers.yaml"], ["nolayers.yaml", "layers must be a non-empty list"]),
    ("layers-json-wrong-type", ["layers", "rowsnum.json"], ["rowsnum.json", "'rows' list"]),
    ("layers-csv-extra-fields", ["layers", "extra.csv"], ["extra.csv", "line 2", "9 fields", "header has 7"]),
    ("layers-empty-onnx", ["layers", "empty.onnx"], ["empty.onnx", "file is empty"]),
    ("layers-huge-dimension", ["layers", "hugeM.csv"], ["hugeM.csv", "layer c1", "M is 10,000,000", "limit"]),
    ("layers-huge-macs", ["layers", "hugemacs.csv"], ["hugemacs.csv", "layer c1", "MACs", "limit of 2^53"]),
    ("layers-stride-triple", ["layers", "stride3.yaml"], ["stride3.yaml", "layer c1", "stride", "[1, 2, 3]"]),
    ("layers-duplicate-name", ["layers", "dupname.yaml"], ["dupname.yaml", "duplicate layer name 'c1'"]),
    ("hw-show-unknown", ["hw", "show", "eyeriss_v9"], ["unknown hardware config 'eyeriss_v9'", "eyeriss_v1"]),
    ("hw-show-format", ["hw", "show", "eyeriss_v1", "--format", "xml"], ["--format", "invalid choice: 'xml'"]),
    ("hw-show-scalar", ["hw", "show", "hw_scalar.yaml"], ["hw_scalar.yaml", "mapping of hardware fields"]),
    ("hw-show-list-field", ["hw", "show", "hw_list.yaml"], ["hw_list.yaml", "field"]),
    ("hw-show-binary", ["hw", "show", "hw_binary.yaml"], ["hw_binary.yaml", "not a text"]),
    ("run-no-network", ["run"], ["required: network"]),
    ("run-unknown-network", ["run", "alexnet2"], ["unknown network 'alexnet2'", "did you mean alexnet"]),
    ("run-unknown-hw", ["run", "lenet5", "--hw", "nope"], ["unknown hardware config 'nope'"]),
    ("run-binary-hw", ["run", "lenet5", "--hw", "hw_binary.yaml"], ["hw_binary.yaml", "not a text"]),
    ("run-unknown-dataflow", ["run", "lenet5", "--dataflow", "xyz"], ["unknown dataflow 'xyz'", "os-a"]),
    ("run-dataflow-list", ["run", "lenet5", "--dataflow", "rs,ws"], ["unknown dataflow 'rs,ws'"]),
    ("run-unknown-objective", ["run", "lenet5", "--objective", "speed"], ["--objective", "'speed'"]),
    ("run-batch-text", ["run", "lenet5", "--batch", "abc"], ["--batch", "positive integer", "'abc'"]),
    ("run-max-evaluations-negative", ["run", "lenet5", "--max-evaluations", "-5"], ["max_evaluations", "-5"]),
    ("run-max-evaluations-text", ["run", "lenet5", "--max-evaluations", "x"], ["--max-evaluations", "'x'"]),
    ("run-format-unknown", ["run", "lenet5", "--format", "xml"], ["--format", "invalid choice: 'xml'"]),
    ("run-out-missing-folder", ["run", "lenet5", "--out", "no/such/dir/x.csv"], ["cannot write --out", "x.csv"]),
    ("run-bad-layer-file", ["run", "hugeM.csv"], ["hugeM.csv", "M is 10,000,000"]),
    ("export-unknown-network", ["export", "nope", "--to", "csv", "--out", "x.csv"], ["unknown network 'nope'"]),
    ("export-no-out", ["export", "lenet5", "--to", "csv"], ["--out"]),
]


@pytest.fixture
def bad_files(tmp_path, monkeypatch):
    for name, content in FILES.items():
        (tmp_path / name).write_bytes(content)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("argv, words", [c[1:] for c in CLI], ids=[c[0] for c in CLI])
def test_cli_bad_input_exits_2_with_one_line(bad_files, capsys, argv, words):
    code = main(argv)
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert code == 2 and captured.out == ""
    assert len(lines) == 1 and lines[0].startswith("accelsim: error: "), captured.err
    for word in words:
        assert word in lines[0], (word, lines[0])


def _layer(**kw):
    base = dict(name="c1", kind="conv", N=1, G=1, M=4, C=3, H=8, W=8, R=3, S=3)
    base.update(kw)
    return Layer(**base)


HW = accelsim.load_hw("eyeriss_v1")

# (case id, call, expected error type, words the message must contain)
API = [
    ("load-network-int", lambda: accelsim.load_network(123), WorkloadError, ["got int"]),
    ("load-network-bytes", lambda: accelsim.load_network(b"\x00\xff"), WorkloadError, ["got bytes"]),
    ("load-network-empty-name", lambda: accelsim.load_network(""), WorkloadError, ["''"]),
    ("load-network-unknown", lambda: accelsim.load_network("vgg17"), WorkloadError, ["unknown network 'vgg17'"]),
    ("load-network-batch-zero", lambda: accelsim.load_network("alexnet", batch=0), WorkloadError, ["batch", "0"]),
    ("load-network-batch-str", lambda: accelsim.load_network("alexnet", batch="2"), WorkloadError, ["'2'"]),
    ("load-network-batch-float", lambda: accelsim.load_network("alexnet", batch=2.5), WorkloadError, ["2.5"]),
    ("load-network-batch-huge", lambda: accelsim.load_network("alexnet", batch=10**12), ShapeError, ["limit"]),
    ("load-hw-none", lambda: accelsim.load_hw(None), ConfigError, ["got NoneType"]),
    ("load-hw-dict", lambda: accelsim.load_hw({"pe_array": 1}), ConfigError, ["config mapping", "field name: missing"]),
    ("load-hw-unknown", lambda: accelsim.load_hw("eyeriss_v3"), ConfigError, ["unknown hardware config"]),
    ("simulate-wrong-type", lambda: accelsim.simulate(42, HW), UsageError, ["Layer, a Network", "not int"]),
    ("simulate-hw-wrong-type", lambda: accelsim.simulate("lenet5", 42), ConfigError, ["got int"]),
    ("simulate-unknown-dataflow", lambda: accelsim.simulate("lenet5", HW, dataflow="xx"), UsageError, ["'xx'"]),
    ("simulate-unknown-objective", lambda: accelsim.simulate("lenet5", HW, objective="speed"), UsageError,
     ["'speed'", "edp"]),
    ("simulate-batch-zero", lambda: accelsim.simulate("lenet5", HW, batch=0), UsageError, ["batch", "0"]),
    ("simulate-budget-negative", lambda: accelsim.simulate("lenet5", HW, max_evaluations=-1), UsageError,
     ["max_evaluations", "-1"]),
    ("simulate-budget-str", lambda: accelsim.simulate("lenet5", HW, max_evaluations="x"), UsageError, ["'x'"]),
    ("layer-zero-dim", lambda: _layer(M=0), ShapeError, ["layer c1", "M must be a positive integer"]),
    ("layer-float-dim", lambda: _layer(C=2.5), ShapeError, ["C must be a positive integer", "2.5"]),
    ("layer-str-dim", lambda: _layer(H="8"), ShapeError, ["H must be a positive integer", "'8'"]),
    ("layer-bool-dim", lambda: _layer(W=True), ShapeError, ["W must be a positive integer", "True"]),
    ("layer-filter-too-large", lambda: _layer(H=2, W=2), ShapeError, ["filter 3x3", "padded input 2x2"]),
    ("layer-zero-stride", lambda: _layer(stride=0), ShapeError, ["stride", ">= 1"]),
    ("layer-negative-padding", lambda: _layer(padding=-1), ShapeError, ["padding", ">= 0"]),
    ("layer-unknown-kind", lambda: _layer(kind="deconv"), ShapeError, ["unknown kind 'deconv'"]),
    ("layer-huge-dim", lambda: _layer(M=10**9), ShapeError, ["M is 1,000,000,000", "limit"]),
    ("layer-huge-macs", lambda: _layer(N=1 << 20, M=1 << 20, C=1 << 20), ShapeError, ["MACs", "2^53"]),
    ("layer-no-name", lambda: _layer(name=""), ShapeError, ["non-empty name"]),
    ("no-legal-mapping", lambda: accelsim.simulate(_layer(H=40, W=40, R=11, S=11), "isca16_os_a", "rs"),
     NoMappingError, ["isca16_os_a", "S=11", "register file"]),
]


@pytest.mark.parametrize("call, error, words", [c[1:] for c in API], ids=[c[0] for c in API])
def test_api_bad_input_raises_a_typed_one_line_error(call, error, words):
    with pytest.raises(error) as info:
        call()
    message = str(info.value)
    assert isinstance(info.value, AccelsimError) and "\n" not in message
    for word in words:
        assert word in message, (word, message)


def test_the_catalogue_is_large_and_distinct():
    assert len({c[0] for c in CLI}) == len(CLI) and len({c[0] for c in API}) == len(API)
    assert len(CLI) + len(API) >= 60
