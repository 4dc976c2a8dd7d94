"""Malformed hardware configs: `accelsim hw show FILE` exits 2 with one stderr line naming the
file and the field (and the loader raises ConfigError); never a traceback."""

from pathlib import Path

import pytest
import yaml

import accelsim
from accelsim.cli import main
from accelsim.errors import ConfigError

GOOD = (Path(__file__).parents[2] / "hwconfigs" / "eyeriss_v1.yaml").read_text()


def _doc():
    return yaml.safe_load(GOOD)


def _edit(fn):
    doc = _doc()
    fn(doc)
    return yaml.safe_dump(doc)


def _del(path):
    def fn(doc):
        *parents, last = path
        for p in parents:
            doc = doc[p]
        del doc[last]
    return fn


def _set(path, value):
    def fn(doc):
        *parents, last = path
        for p in parents:
            doc = doc[p]
        doc[last] = value
    return fn


# (case id, file content, words the one-line message must contain)
CASES = [
    ("missing-level", _edit(_del(["levels", "rf"])), ["levels.rf", "missing"]),
    ("negative-capacity", _edit(_set(["levels", "rf", "capacity_words", "ifmap"], -3)),
     ["levels.rf.capacity_words.ifmap", "greater than or equal to 0"]),
    ("unknown-datatype-capacity", _edit(_set(["levels", "rf", "capacity_words", "activations"], 4)),
     ["activations", "unknown key"]),
    ("unknown-datatype-bypass", _edit(_set(["levels", "glb", "bypass"], ["filters"])),
     ["levels.glb.bypass", "weights"]),
    ("zero-pes", _edit(_set(["pe_array", "rows"], 0)), ["pe_array.rows", "greater than or equal to 1"]),
    ("bypass-dram", _edit(_set(["levels", "dram", "bypass"], ["ifmap"])), ["levels.dram.bypass", "cannot be bypassed"]),
    ("wrong-energy-unit", _edit(_set(["energy"], {"unit": "nJ", "mac": 1.0})), ["energy.unit", "normalized"]),
    ("unit-disagrees-with-table", _edit(_set(["energy"], {"table": "eyeriss_isca16", "unit": "pJ"})),
     ["energy.unit", "normalized"]),
    ("unknown-energy-table", _edit(_set(["energy"], {"table": "horowitz_7nm"})), ["energy.table", "horowitz_45nm"]),
    ("yaml-syntax-error", "name: x\npe_array: {rows: 12, cols: 14\nlevels: [\n", ["YAML syntax error", "line"]),
    ("unknown-top-level-key", _edit(_set(["pe_arrays"], {"rows": 2})), ["pe_arrays", "unknown key"]),
    ("wrong-type", _edit(_set(["clock_mhz"], "fast")), ["clock_mhz", "number"]),
    ("empty-file", "", ["empty file"]),
    ("binary-file", "\x00\x01\x02\xff", ["YAML"]),
    ("not-a-mapping", "- just\n- a list\n", ["expected a mapping"]),
    ("capacity-and-shared", _edit(_set(["levels", "glb", "capacity_words"], {"weights": 1, "ifmap": 1, "psum": 1})),
     ["levels.glb", "not both"]),
    ("glb-without-capacity", _edit(_del(["levels", "glb", "shared_capacity_words"])),
     ["levels.glb", "capacity"]),
    ("dram-with-capacity", _edit(_set(["levels", "dram", "shared_capacity_words"], 100)),
     ["levels.dram", "no capacity"]),
    ("zero-clock", _edit(_set(["clock_mhz"], 0)), ["clock_mhz", "greater than 0"]),
    ("huge-word-bits", _edit(_set(["word_bits"], 4096)), ["word_bits", "less than or equal to 64"]),
    ("negative-energy", _edit(_set(["levels", "glb", "read_energy"], -6)), ["levels.glb.read_energy"]),
    ("no-table-no-energies", _edit(_set(["energy"], {"unit": "pJ", "mac": 1.0})), ["read_energy", "required"]),
    ("unknown-dataflow", _edit(_set(["default_dataflow"], "row-stationary-plus")), ["default_dataflow"]),
    ("zero-bandwidth", _edit(_set(["levels", "dram", "bandwidth_words_per_cycle"], 0)),
     ["levels.dram.bandwidth_words_per_cycle", "greater than or equal to 0.001"]),
    ("missing-name", _edit(_del(["name"])), ["name", "missing"]),
]


def test_catalogue_is_large_enough():
    assert len(CASES) >= 15 and len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case, content, words", CASES, ids=[c[0] for c in CASES])
def test_bad_config_exits_2_with_one_line_naming_file_and_field(case, content, words, tmp_path, capsys):
    path = tmp_path / f"{case}.yaml"
    path.write_bytes(content.encode("latin-1") if case == "binary-file" else content.encode())
    assert main(["hw", "show", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert str(path) in err, err
    for w in words:
        assert w in err, (w, err)
    with pytest.raises(ConfigError):
        accelsim.load_hw(str(path))


def test_unknown_name_suggests_close_matches(capsys):
    assert main(["hw", "show", "eyeris_v1"]) == 2
    assert "did you mean eyeriss_v1" in capsys.readouterr().err


def test_missing_file_is_named(tmp_path, capsys):
    assert main(["hw", "show", str(tmp_path / "nope.yaml")]) == 2
    assert "does not exist" in capsys.readouterr().err
