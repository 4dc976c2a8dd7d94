"""The bad-input catalogue (issue 7), part 3: every CLI command and the Python API, fed malformed,
empty, huge, binary, wrong-type and unknown inputs. The CLI ends with exit code 2 and exactly one
stderr line that names the problem (no traceback); the API raises a typed AccelsimError whose one
line names it. Parts 1 and 2 are tests/workload/test_workload_bad_input.py (workload files:
layer tables, Timeloop, SCALE-Sim, ONNX) and tests/arch/test_hw_bad_configs.py (hardware YAML)."""

import os

import pytest
from conftest import require

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


# ---- part 4 (issue 16): hostile input, found by an adversarial campaign ----------------------------
# Each case used to end in a traceback, a hang or a silent wrong answer. Files are written (or made:
# FIFOs, device symlinks, sparse oversize files, ONNX graphs) into the test's folder first.
BIG = "9" * 5000  # Python refuses int() of more than 4,300 digits
_ROW = "name: c1, M: 4, C: 3, H: 8, W: 8, R: 3, S: 3"
_HW = (b"name: h\nclock_mhz: 200\npe_array: {rows: 12, cols: 14}\nenergy: {table: eyeriss_isca16}\n"
       b"levels:\n  dram: {bandwidth_words_per_cycle: 4}\n  glb: {shared_capacity_words: 55296}\n  noc: {}\n"
       b"  rf: {capacity_words: {weights: 224, ifmap: 12, psum: 24}}\n")
_SS = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
HOSTILE_FILES = {
    "bigint.csv": f"layer,M,C,H,W,R,S\nc1,{BIG},3,8,8,3,3\n",
    "bigint.yaml": f"name: x\nlayers:\n  - {{name: c1, M: {BIG}, C: 3, H: 8, W: 8, R: 3, S: 3}}\n",
    "bigint.json": '{"rows": [{"layer": "c1", "M": %s, "C": 3, "H": 8, "W": 8, "R": 3, "S": 3}]}' % BIG,
    "bigint_ss.csv": f"{_SS}c1, {BIG}, 8, 3, 3, 3, 4, 1,\n",
    "bigint_tl.yaml": f"problem:\n  instance: {{C: {BIG}, M: 4, R: 3, S: 3, P: 6, Q: 6}}\n",
    "hw_bigint.yaml": _HW.decode().replace("clock_mhz: 200", f"clock_mhz: {BIG}"),
    "stride.yaml": f"name: x\nlayers:\n  - {{{_ROW}, stride: 100000000000000000000}}\n",
    "dilation.csv": "layer,M,C,H,W,R,S,dilation\nc1,4,3,8,8,3,3,100000000000000000000\n",
    "padding.csv": "layer,M,C,H,W,R,S,pad\nc1,4,3,8,8,3,3,99999999\n",
    "outpad.yaml": f"name: x\nlayers:\n  - {{{_ROW}, type: tconv, stride: 2, output_padding: 100000000000}}\n",
    "stride_ss.csv": f"{_SS}c1, 8, 8, 3, 3, 3, 4, 100000000000000000000,\n",
    "stride_tl.yaml": "problem:\n  instance: {C: 3, M: 4, R: 3, S: 3, P: 6, Q: 6, Hstride: 100000000000000000000}\n",
    "outsize.yaml": "name: x\nlayers:\n  - {name: c1, type: tconv, M: 1, C: 1, H: 1048576, W: 4, R: 3, S: 3, stride: 8}\n",
    "deep.yaml": "[" * 5000 + "]" * 5000,
    "deep.json": "[" * 100000 + "]" * 100000,
    "hw_deep.yaml": "a: " + "[" * 3000 + "]" * 3000,
    "hugefield.csv": "layer,M,C,H,W,R,S\n" + "c" * 200_000 + ",4,3,8,8,3,3\n",
    "hugefield_ss.csv": _SS + "c" * 200_000 + ", 8, 8, 3, 3, 3, 4, 1,\n",
    "cr_bad.csv": "layer,M,C,H,W,R,S\rc1,4,3,8,8,3,3\rc2,four,3,8,8,3,3\r",
    "metastr.json": '{"meta": "x", "rows": [{"layer": "c1", "M": 4, "C": 3, "H": 8, "W": 8, "R": 3, "S": 3}]}',
    "nan.json": '{"rows": [{"layer": "c1", "M": NaN, "C": 3, "H": 8, "W": 8, "R": 3, "S": 3}]}',
    "dims_tl.yaml": "problem:\n  shape: {dimensions: [[C], M]}\n  instance: {C: 3, M: 4, R: 3, S: 3, P: 6, Q: 6}\n",
    "bomb.yaml": "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
                 "d: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nlayers: []\n",
    "hw_bomb.yaml": _HW.decode() + "source: &s [x,x,x]\nnotes: [*s,*s]\n",
    "dupkey.yaml": f"name: x\nname: y\nlayers:\n  - {{{_ROW}}}\n",
    "dupkey_layer.yaml": f"name: x\nlayers:\n  - {{{_ROW}, M: 8}}\n",
    "dupkey_tl.yaml": "problem:\n  instance: {C: 3, C: 4, M: 4, R: 3, S: 3, P: 6, Q: 6}\n",
    "hw_dupkey.yaml": _HW.decode().replace("clock_mhz: 200\n", "clock_mhz: 200\nclock_mhz: 400\n"),
    "hw_tinybw.yaml": _HW.decode().replace("bandwidth_words_per_cycle: 4", "bandwidth_words_per_cycle: 1e-300"),
    "hw_twodocs.yaml": _HW.decode() + "---\nname: other\n",
}


def _onnx_files(folder):
    onnx = require("onnx")
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    def model(nodes, inits=(), shape=(1, 3, 8, 8)):
        x = helper.make_tensor_value_info("x", TensorProto.FLOAT, list(shape))
        y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
        graph = helper.make_graph(nodes, "g", [x], [y], initializer=list(inits))
        return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString()

    w = numpy_helper.from_array(np.zeros((4, 3, 3, 3), np.float32), "w")
    (folder / "conv_noweight.onnx").write_bytes(model([helper.make_node("Conv", ["x"], ["y"], name="c1")]))
    (folder / "gemm_one.onnx").write_bytes(model([helper.make_node("Gemm", ["x"], ["y"], name="g1")], shape=(1, 12)))
    (folder / "same_upper.onnx").write_bytes(model([helper.make_node("Conv", ["x", "w"], ["y"], name="c1",
                                                                     auto_pad="SAME_UPPER", strides=[2])], [w]))
    (folder / "pads_huge.onnx").write_bytes(model([helper.make_node("Conv", ["x", "w"], ["y"], name="c1",
                                                                    pads=[0, 0, 0, 10**15])], [w]))
    del onnx


@pytest.fixture
def hostile_files(tmp_path, monkeypatch):
    for name, content in HOSTILE_FILES.items():
        (tmp_path / name).write_text(content)
    (tmp_path / "hw_ok.yaml").write_bytes(_HW)
    os.mkfifo(tmp_path / "fifo.csv")
    os.mkfifo(tmp_path / "hw_fifo.yaml")
    for name in ("zero.csv", "zero.yaml", "zero.onnx", "hw_zero.yaml"):
        os.symlink("/dev/zero", tmp_path / name)
    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "outdir").mkdir()
    with open(tmp_path / "huge.csv", "wb") as fh:  # sparse: 17 MiB of zeros without writing them
        fh.truncate(17 * 1024 * 1024)
    with open(tmp_path / "hw_huge.yaml", "wb") as fh:
        fh.truncate(2 * 1024 * 1024)
    _onnx_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    return tmp_path


HOSTILE_CLI = [
    # integers past Python's 4,300-digit conversion limit, in every reader
    ("bigint-csv", ["layers", "bigint.csv"], ["bigint.csv", "line 2", "M", "5,000 digits"]),
    ("bigint-yaml", ["layers", "bigint.yaml"], ["bigint.yaml", "line 3", "5,000 digits"]),
    ("bigint-json", ["layers", "bigint.json"], ["bigint.json", "5,000 digits"]),
    ("bigint-scalesim", ["layers", "bigint_ss.csv"], ["bigint_ss.csv", "IFMAP Height", "5,000 digits"]),
    ("bigint-timeloop", ["layers", "bigint_tl.yaml"], ["bigint_tl.yaml", "5,000 digits"]),
    ("bigint-hw", ["hw", "show", "hw_bigint.yaml"], ["hw_bigint.yaml", "5,000 digits"]),
    # upper bounds before numba: stride, dilation, padding, output size, search budget, batch
    ("stride-1e20", ["layers", "stride.yaml"], ["stride.yaml", "layer c1", "stride 100,000,000,000,000,000,000",
                                                "limit of 1,048,576"]),
    ("dilation-1e20", ["layers", "dilation.csv"], ["dilation.csv", "dilation", "limit of 1,048,576"]),
    ("padding-huge", ["layers", "padding.csv"], ["padding.csv", "padding 99,999,999", "limit"]),
    ("output-padding-huge", ["layers", "outpad.yaml"], ["outpad.yaml", "output_padding", "limit"]),
    ("stride-scalesim", ["layers", "stride_ss.csv"], ["stride_ss.csv", "stride", "limit of 1,048,576"]),
    ("stride-timeloop", ["layers", "stride_tl.yaml"], ["stride_tl.yaml", "stride", "limit of 1,048,576"]),
    ("output-size-huge", ["layers", "outsize.yaml"], ["outsize.yaml", "output 8,388,603x27", "limit"]),
    ("max-evaluations-1e21", ["run", "lenet5", "--max-evaluations", "1" + "0" * 21],
     ["max_evaluations", "limit of 1e+15"]),
    ("batch-huge-run", ["run", "lenet5", "--batch", "4194304"], ["N is 4,194,304", "limit"]),
    # nesting (RecursionError), CSV errors (_csv.Error), wrong types
    ("deep-yaml", ["layers", "deep.yaml"], ["deep.yaml", "nested deeper than 64 levels"]),
    ("deep-json", ["layers", "deep.json"], ["deep.json", "nested deeper than 64 levels"]),
    ("deep-hw", ["hw", "show", "hw_deep.yaml"], ["hw_deep.yaml", "nested deeper than 64 levels"]),
    ("csv-huge-field", ["layers", "hugefield.csv"], ["hugefield.csv", "line 2", "field larger than field limit"]),
    ("scalesim-huge-field", ["layers", "hugefield_ss.csv"], ["hugefield_ss.csv", "line 2", "field"]),
    ("csv-cr-only-bad-row", ["layers", "cr_bad.csv"], ["cr_bad.csv", "line 3", "layer c2", "'four'"]),
    ("json-meta-string", ["layers", "metastr.json"], ["metastr.json", "meta must be an object, got str"]),
    ("json-nan-dimension", ["layers", "nan.json"], ["nan.json", "M must be an integer", "nan"]),
    ("timeloop-dimensions-list", ["layers", "dims_tl.yaml"], ["dims_tl.yaml", "dimensions", "list of dimension names"]),
    # ONNX graphs validated node by node before use
    ("onnx-conv-without-weight", ["layers", "conv_noweight.onnx"], ["conv_noweight.onnx", "node c1 (Conv)",
                                                                    "needs input and weight"]),
    ("onnx-gemm-one-input", ["layers", "gemm_one.onnx"], ["gemm_one.onnx", "node g1 (Gemm)", "needs A and B"]),
    ("onnx-same-upper-one-stride", ["layers", "same_upper.onnx"], ["same_upper.onnx", "strides has 1 value(s)",
                                                                   "expected 2"]),
    ("onnx-pads-huge", ["layers", "pads_huge.onnx"], ["pads_huge.onnx", "pads", "limits"]),
    # hangs: alias bombs, FIFOs, /dev/zero, folders, oversize files
    ("yaml-alias-bomb", ["layers", "bomb.yaml"], ["bomb.yaml", "aliases (*name) are not allowed"]),
    ("hw-alias-bomb", ["hw", "show", "hw_bomb.yaml"], ["hw_bomb.yaml", "aliases"]),
    ("workload-fifo", ["layers", "fifo.csv"], ["fifo.csv", "FIFO", "not a regular file"]),
    ("workload-dev-zero", ["layers", "zero.csv"], ["zero.csv", "character device", "not a regular file"]),
    ("timeloop-dev-zero", ["layers", "zero.yaml"], ["zero.yaml", "character device"]),
    ("onnx-dev-zero", ["layers", "zero.onnx"], ["zero.onnx", "character device"]),
    ("hw-fifo", ["hw", "show", "hw_fifo.yaml"], ["hw_fifo.yaml", "FIFO"]),
    ("hw-dev-zero", ["run", "lenet5", "--hw", "hw_zero.yaml"], ["hw_zero.yaml", "character device"]),
    ("hw-folder", ["hw", "show", "folder.yaml"], ["folder.yaml", "is a folder"]),
    ("workload-too-large", ["layers", "huge.csv"], ["huge.csv", "17,825,792 bytes", "limit of 16,777,216"]),
    ("hw-too-large", ["hw", "show", "hw_huge.yaml"], ["hw_huge.yaml", "limit of 1,000,000 bytes"]),
    # silently accepted before: duplicate keys, absurd bandwidth, several documents
    ("yaml-duplicate-key", ["layers", "dupkey.yaml"], ["dupkey.yaml", "line 2", "duplicate key 'name'"]),
    ("yaml-duplicate-layer-key", ["layers", "dupkey_layer.yaml"], ["dupkey_layer.yaml", "duplicate key 'M'"]),
    ("timeloop-duplicate-key", ["layers", "dupkey_tl.yaml"], ["dupkey_tl.yaml", "duplicate key 'C'"]),
    ("hw-duplicate-key", ["hw", "show", "hw_dupkey.yaml"], ["hw_dupkey.yaml", "duplicate key 'clock_mhz'"]),
    ("hw-bandwidth-1e-300", ["run", "lenet5", "--hw", "hw_tinybw.yaml"],
     ["hw_tinybw.yaml", "levels.dram.bandwidth_words_per_cycle", "0.001"]),
    ("hw-two-documents", ["hw", "show", "hw_twodocs.yaml"], ["hw_twodocs.yaml", "one YAML document, found 2"]),
    # the output side: empty or folder --out
    ("run-out-empty", ["run", "lenet5", "--out", ""], ["--out is empty"]),
    ("run-out-folder", ["run", "lenet5", "--out", "outdir"], ["--out outdir is a folder"]),
    ("export-out-empty", ["export", "lenet5", "--to", "csv", "--out", ""], ["--out is empty"]),
    ("export-out-folder", ["export", "lenet5", "--to", "csv", "--out", "outdir"], ["cannot write --out outdir",
                                                                                  "directory"]),
    ("export-timeloop-out-dot", ["export", "lenet5", "--to", "timeloop", "--out", "."], ["--out .",
                                                                                         "current or a parent"]),
    ("export-timeloop-out-device", ["export", "lenet5", "--to", "timeloop", "--out", "/dev/null"],
     ["--out /dev/null is a file"]),
]


@pytest.mark.parametrize("argv, words", [c[1:] for c in HOSTILE_CLI], ids=[c[0] for c in HOSTILE_CLI])
def test_hostile_input_exits_2_with_one_line(hostile_files, capsys, argv, words):
    code = main(argv)
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert code == 2 and captured.out == "", (code, captured.err)
    assert len(lines) == 1 and lines[0].startswith("accelsim: error: "), captured.err
    for word in words:
        assert word in lines[0], (word, lines[0])


HOSTILE_API = [
    ("layer-stride-1e20", lambda: _layer(stride=10**20), ShapeError, ["stride", "limit of 1,048,576"]),
    ("layer-dilation-1e20", lambda: _layer(dilation=(1, 10**20)), ShapeError, ["dilation", "limit"]),
    ("layer-padding-huge", lambda: _layer(padding=(0, 0, 0, 10**7)), ShapeError, ["padding", "limit"]),
    ("simulate-budget-1e21", lambda: accelsim.simulate(_layer(), HW, max_evaluations=10**21), UsageError,
     ["max_evaluations", "limit"]),
]


@pytest.mark.parametrize("call, error, words", [c[1:] for c in HOSTILE_API], ids=[c[0] for c in HOSTILE_API])
def test_hostile_api_input_raises_a_typed_one_line_error(call, error, words):
    test_api_bad_input_raises_a_typed_one_line_error(call, error, words)


def test_part_4_adds_at_least_40_distinct_cases():
    ids = [c[0] for c in HOSTILE_CLI] + [c[0] for c in HOSTILE_API]
    assert len(set(ids)) == len(ids) >= 40
    assert not set(ids) & {c[0] for c in CLI + API}


def test_a_cr_only_csv_reads_like_lf(tmp_path):
    cr, lf = tmp_path / "cr.csv", tmp_path / "lf.csv"
    cr.write_bytes(b"layer,M,C,H,W,R,S\rc1,4,3,8,8,3,3\rc2,4,4,6,6,3,3\r")
    lf.write_bytes(cr.read_bytes().replace(b"\r", b"\n"))
    a, b = accelsim.load_network(str(cr)), accelsim.load_network(str(lf))
    assert [lay.nest for lay in a.layers] == [lay.nest for lay in b.layers] and len(a.layers) == 2
