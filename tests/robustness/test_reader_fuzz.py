"""Fuzz every file reader (issue 16): random bytes and random structured documents shaped like each
format. The contract is the CLI's: a reader returns a Network (or Hardware), or raises an
AccelsimError whose message is one line (the CLI prints it and exits 2). Anything else -- another
exception, a traceback, a hang past the per-example deadline -- fails. Readers run in-process on a
file in a temporary folder (the suffix picks the reader, as on the command line)."""

import json
import tempfile
from pathlib import Path

import pytest
import yaml
from conftest import require
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accelsim.arch.load import load_hw
from accelsim.errors import AccelsimError
from accelsim.workload.files import read_network_file

EXAMPLES = 300
FUZZ = settings(max_examples=EXAMPLES, deadline=2000, suppress_health_check=list(HealthCheck))
FOLDER = Path(tempfile.mkdtemp(prefix="accelsim-fuzz-"))

LAYER_KEYS = ["name", "type", "N", "G", "M", "C", "H", "W", "R", "S", "E", "F", "stride", "pad", "padding",
              "dilation", "params", "macs", "bias", "output_padding", "pool_op", "layer"]
TL_KEYS = ["C", "M", "K", "R", "S", "N", "P", "Q", "G", "Hstride", "Wstride", "Hdilation", "Wdilation"]
HW_KEYS = ["name", "source", "clock_mhz", "word_bits", "pe_array", "rows", "cols", "energy", "table", "unit", "mac",
           "levels", "dram", "glb", "noc", "rf", "capacity_words", "shared_capacity_words", "weights", "ifmap",
           "psum", "read_energy", "write_energy", "bandwidth_words_per_cycle", "bypass", "multicast",
           "technology_nm", "default_dataflow", "spatial_reduction", "patterns"]

numbers = st.one_of(st.integers(-3, 20), st.integers(-10**40, 10**40), st.floats(allow_nan=True),
                    st.sampled_from(["1e20", "2,1", "0", "-1", "x", "", "9" * 60]))
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=12))


def docs(keys):
    """Nested documents whose keys are mostly the format's own, so the reader goes deep."""
    key = st.one_of(st.sampled_from(keys), st.text(max_size=6))
    return st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(key, inner, max_size=6),
                        max_leaves=24)


def layer_table(keys=LAYER_KEYS):
    row = st.dictionaries(st.sampled_from(keys), scalars, min_size=3, max_size=12)
    return st.fixed_dictionaries({"name": st.text(max_size=5), "layers": st.lists(row, max_size=4)},
                                 optional={"batch": numbers, "input_shape": st.lists(numbers, max_size=4)})


def _dump_yaml(doc) -> bytes:
    return yaml.safe_dump(doc, allow_unicode=True).encode()


def _dump_json(doc) -> bytes:
    return json.dumps(doc).encode()


def _csv(rows) -> bytes:
    return "\n".join(",".join(cells) for cells in rows).encode()


cell = st.one_of(st.sampled_from(["1", "3", "8", "0", "-2", "c1", "conv", "fc", "2,1", "1e20", "", '"', "9" * 5000]),
                 st.text(max_size=8))
table_csv = st.builds(lambda head, rows: _csv([head] + rows),
                      st.lists(st.sampled_from(["layer", "M", "C", "H", "W", "R", "S", "N", "G", "stride", "pad",
                                                "dilation", "E", "F", "type", "network", "macs"]),
                               min_size=1, max_size=10, unique=True),
                      st.lists(st.lists(cell, max_size=10), max_size=4))
scalesim_csv = st.builds(lambda rows: _csv([["Layer name", " IFMAP Height", " IFMAP Width", " Filter Height",
                                             " Filter Width", " Channels", " Num Filter", " Strides", ""]] + rows),
                         st.lists(st.lists(cell, max_size=9), max_size=4))


def _check(call):
    try:
        call()
    except AccelsimError as exc:
        assert "\n" not in str(exc) and str(exc).strip(), repr(str(exc))


def _read(name: str, data: bytes):
    path = FOLDER / name
    path.write_bytes(data)
    _check(lambda: read_network_file(path))


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), table_csv))
def test_fuzz_layer_table_csv(data):
    _read("t.csv", data)


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), st.builds(_dump_yaml, layer_table()),
                      st.builds(_dump_yaml, docs(LAYER_KEYS))))
def test_fuzz_layer_table_yaml(data):
    _read("t.yaml", data)


@FUZZ
@given(data=st.one_of(st.binary(max_size=300),
                      st.builds(lambda rows, meta: _dump_json({"meta": meta, "rows": rows}),
                                st.lists(st.dictionaries(st.sampled_from(LAYER_KEYS), scalars, max_size=12),
                                         max_size=4), docs(["network", "macs", "params", "source"])),
                      st.builds(_dump_json, docs(["rows", "meta"] + LAYER_KEYS))))
def test_fuzz_layer_table_json(data):
    _read("t.json", data)


@FUZZ
@given(data=st.one_of(st.binary(max_size=300),
                      st.builds(lambda inst, dims, extra: _dump_yaml({"problem": {"shape": {"dimensions": dims},
                                                                                  "instance": inst},
                                                                      **extra}),
                                st.dictionaries(st.sampled_from(TL_KEYS), scalars, max_size=10),
                                docs(TL_KEYS), st.dictionaries(st.sampled_from(["accelsim", "mapper"]),
                                                               docs(["layer", "stride", "padding", "H", "W"]),
                                                               max_size=2)),
                      st.builds(_dump_yaml, docs(["problem", "instance", "shape"] + TL_KEYS))))
def test_fuzz_timeloop(data):
    _read("p.yaml", data)


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), scalesim_csv))
def test_fuzz_scalesim(data):
    _read("s.csv", data)


def _hw_doc(edits):
    doc = yaml.safe_load((Path(__file__).parents[2] / "hwconfigs" / "eyeriss_v1.yaml").read_text())
    for path, value in edits:
        node = doc
        for key in path[:-1]:
            node = node.setdefault(key, {}) if isinstance(node, dict) else {}
        if isinstance(node, dict):
            node[path[-1]] = value
    return doc


hw_edit = st.tuples(st.lists(st.sampled_from(HW_KEYS), min_size=1, max_size=3), docs(HW_KEYS))


@FUZZ
@given(data=st.one_of(st.binary(max_size=300), st.builds(lambda e: _dump_yaml(_hw_doc(e)), st.lists(hw_edit, max_size=3)),
                      st.builds(_dump_yaml, docs(HW_KEYS))))
def test_fuzz_hardware_yaml(data):
    path = FOLDER / "hw.yaml"
    path.write_bytes(data)
    _check(lambda: load_hw(path))


@pytest.fixture(scope="module")
def onnx_model_bytes():
    require("onnx")
    import numpy as np
    from onnx import TensorProto, helper, numpy_helper

    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 3, 8, 8])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
    w = numpy_helper.from_array(np.ones((4, 3, 3, 3), np.float32), "w")
    nodes = [helper.make_node("Conv", ["x", "w"], ["h"], name="c1", pads=[1, 1, 1, 1]),
             helper.make_node("MaxPool", ["h"], ["y"], name="p1", kernel_shape=[2, 2], strides=[2, 2])]
    graph = helper.make_graph(nodes, "g", [x], [y], initializer=[w])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString()


@FUZZ
@given(raw=st.binary(max_size=300), flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)),
                                                      max_size=6), use_model=st.booleans(), cut=st.integers(0, 10**6))
def test_fuzz_onnx(onnx_model_bytes, raw, flips, use_model, cut):
    data = bytearray(onnx_model_bytes if use_model else raw)
    for pos, value in flips:  # corrupt a valid model byte by byte, or random bytes
        if data:
            data[pos % len(data)] = value
    if use_model and cut % 3 == 0 and data:
        data = data[: cut % len(data)]  # a truncated download
    _read("m.onnx", bytes(data))
