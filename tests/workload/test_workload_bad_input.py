"""Malformed workload files and export requests: `accelsim layers FILE` and `accelsim export`
end with exit code 2 and exactly one stderr line that names the problem, never a traceback."""

import subprocess
import sys

import numpy as np
import pytest
from conftest import require

from accelsim.cli import main

CONV_HEADER = "layer,type,M,C,H,W,R,S,stride,pad\n"
SCALESIM_HEADER = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"

# file name -> (content, words the error line must contain)
FILES = {
    "empty.csv": (b"", ["empty.csv", "file is empty"]),
    "blank.yaml": (b"\n  \n", ["blank.yaml", "file is empty"]),
    "junk.csv": (bytes(range(256)) * 4, ["junk.csv", "not a text file", "binary"]),
    "syntax.yaml": (b"name: x\nlayers: [ {name: c1, M: 4\n", ["syntax.yaml", "YAML syntax error", "line"]),
    "column.csv": (b"layer,M,C,H,W,R,S,colour\nc1,4,3,8,8,3,3,red\n", ["column.csv", "unknown column 'colour'"]),
    "missing.csv": (b"layer,C,H,W,R,S\nc1,3,8,8,3,3\n", ["missing.csv", "missing column M"]),
    "nonint.csv": ((CONV_HEADER + "c1,conv,four,3,8,8,3,3,1,0\n").encode(),
                   ["nonint.csv", "line 2", "layer c1", "M must be an integer", "'four'"]),
    "zero.csv": ((CONV_HEADER + "c1,conv,4,0,8,8,3,3,1,0\n").encode(),
                 ["zero.csv", "line 2", "C must be an integer >= 1"]),
    "toolarge.csv": ((CONV_HEADER + "c1,conv,4,3,4,4,7,7,1,1\n").encode(),
                     ["toolarge.csv", "line 2", "filter 7x7", "larger than the padded input 6x6"]),
    "eflag.csv": (b"layer,M,C,H,W,R,S,E\nc1,4,3,8,8,3,3,7\n", ["eflag.csv", "E is 7, but the shape gives 6"]),
    "key.yaml": (b"name: x\nlayers:\n  - {name: c1, M: 4, C: 3, H: 8, W: 8, R: 3, S: 3, groups: 2}\n",
                 ["key.yaml", "layers[0]", "unknown key 'groups'"]),
    "neither.yaml": (b"name: x\nshape: [3, 4]\n", ["neither.yaml", "neither a Timeloop problem", "layer table"]),
    "tl_key.yaml": (b"problem:\n  instance: {C: 3, M: 4, R: 3, S: 3, P: 6, Q: 6, Hstrid: 2}\n",
                    ["tl_key.yaml", "problem.instance", "unknown key 'Hstrid'"]),
    "tl_missing.yaml": (b"problem:\n  instance: {M: 4, R: 3, S: 3, P: 6, Q: 6}\n",
                        ["tl_missing.yaml", "problem.instance is missing C"]),
    "tl_neg.yaml": (b"problem:\n  instance: {C: 3, M: -4, R: 3, S: 3, P: 6, Q: 6}\n",
                    ["tl_neg.yaml", "problem.instance.M must be an integer >= 1", "-4"]),
    "ss_filter.csv": ((SCALESIM_HEADER + "conv1, 4, 4, 5, 5, 3, 8, 1,\n").encode(),
                      ["ss_filter.csv", "line 2", "layer conv1", "filter 5x5 is larger than the IFMAP 4x4"]),
    "ss_fields.csv": ((SCALESIM_HEADER + "conv1, 8, 8, 3, 3, 3,\n").encode(),
                      ["ss_fields.csv", "line 2", "6 fields, expected 8"]),
    "junk.onnx": (b"\x08\x07garbage that is not a protobuf" * 3, ["junk.onnx", "not a valid ONNX model"]),
    "notes.txt": (b"conv1 3x3\n", ["notes.txt", "unknown workload file type '.txt'"]),
    "rows.json": (b'{"meta": {}, "rows": [{"layer": "c1", "M": 4, "C": 3, "H": 8, "W": 8, "R": 3}]}',
                  ["rows.json", "rows[0]", "S is missing"]),
}


def _run(capsys, argv):
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.err


def _assert_one_clear_line(code, err, words):
    assert code == 2
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("accelsim: error: ")
    assert "Traceback" not in err
    for word in words:
        assert word in lines[0], (word, lines[0])


@pytest.mark.parametrize("file", sorted(FILES))
def test_layers_on_a_malformed_file(tmp_path, capsys, file):
    content, words = FILES[file]
    (tmp_path / file).write_bytes(content)
    code, err = _run(capsys, ["layers", str(tmp_path / file)])
    _assert_one_clear_line(code, err, words)


def test_truncated_onnx_and_groups_that_do_not_divide(tmp_path, capsys):
    onnx = require("onnx")
    from onnx import TensorProto, helper, numpy_helper

    def model(group, path):
        node = helper.make_node("Conv", ["x", "w"], ["y"], name="conv_g", group=group)
        graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 8, 8, 8])],
                                  [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
                                  [numpy_helper.from_array(np.zeros((6, 2, 3, 3), np.float32), name="w")])
        onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), str(path))
        return path

    good = model(4, tmp_path / "good.onnx")
    (tmp_path / "cut.onnx").write_bytes(good.read_bytes()[:60])
    code, err = _run(capsys, ["layers", str(tmp_path / "cut.onnx")])
    _assert_one_clear_line(code, err, ["cut.onnx", "not a valid ONNX model", "truncated"])
    bad = model(3, tmp_path / "groups.onnx")  # 8 input channels, 3 groups
    code, err = _run(capsys, ["layers", str(bad)])
    _assert_one_clear_line(code, err, ["groups.onnx", "node conv_g", "8 input and 6 output channels",
                                       "not both divisible by 3 groups"])


def test_missing_file_and_empty_timeloop_folder(tmp_path, capsys):
    code, err = _run(capsys, ["layers", str(tmp_path / "nowhere.yaml")])
    _assert_one_clear_line(code, err, ["nowhere.yaml", "does not exist"])
    (tmp_path / "problems").mkdir()
    code, err = _run(capsys, ["layers", str(tmp_path / "problems")])
    _assert_one_clear_line(code, err, ["problems", "holds no .yaml Timeloop problems"])


def test_export_refusals_leave_the_old_output_alone(tmp_path, capsys):
    table = tmp_path / "atrous.yaml"
    table.write_text("name: atrous\nlayers:\n"
                     "  - {name: a1, M: 4, C: 3, H: 16, W: 16, R: 3, S: 3, pad: 2, dilation: 2}\n")
    out = tmp_path / "out.csv"
    out.write_text("precious\n")
    code, err = _run(capsys, ["export", str(table), "--to", "scalesim", "--out", str(out)])
    _assert_one_clear_line(code, err, ["layer a1", "SCALE-Sim has no dilation"])
    assert out.read_text() == "precious\n"
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.tex").write_text("keep me")
    code, err = _run(capsys, ["export", "lenet5", "--to", "timeloop", "--out", str(folder)])
    _assert_one_clear_line(code, err, ["mine", "holds files accelsim did not write", "thesis.tex"])
    assert [p.name for p in folder.iterdir()] == ["thesis.tex"]
    code, err = _run(capsys, ["export", "lenet5", "--to", "csv", "--out", str(tmp_path / "no" / "dir" / "x.csv")])
    _assert_one_clear_line(code, err, ["cannot write --out", "x.csv"])
    code, err = _run(capsys, ["export", "lenet5", "--to", "caffe", "--out", str(tmp_path / "x")])
    _assert_one_clear_line(code, err, ["--to", "invalid choice: 'caffe'"])


def _cli(*argv, cwd):
    return subprocess.run([sys.executable, "-m", "accelsim", *argv], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_the_real_command_line_on_bad_files(tmp_path):
    (tmp_path / "syntax.yaml").write_bytes(FILES["syntax.yaml"][0])
    (tmp_path / "junk.csv").write_bytes(FILES["junk.csv"][0])
    for name, words in (("syntax.yaml", ["YAML syntax error"]), ("junk.csv", ["not a text file"])):
        proc = _cli("layers", name, cwd=tmp_path)
        assert proc.returncode == 2 and proc.stdout == ""
        _assert_one_clear_line(2, proc.stderr, [name, *words])
    proc = _cli("export", "lenet5", "--to", "scalesim", cwd=tmp_path)  # --out is required
    _assert_one_clear_line(proc.returncode, proc.stderr, ["--out"])


def test_the_real_command_line_exports_and_reads_back(tmp_path):
    proc = _cli("export", "lenet5", "--to", "timeloop", "--out", "lenet_tl", cwd=tmp_path)
    assert proc.returncode == 0 and "wrote 5 Timeloop problems of lenet5" in proc.stdout, proc.stderr
    proc = _cli("layers", "lenet_tl/", "--format", "csv", cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.count("\n") == 6, proc.stderr
