"""Malformed sweep specs and databases: exit code 2, one line naming the key path, before any work
(no database is created); a foreign or non-SQLite database is refused and left byte for byte."""

import copy
import sqlite3

import pytest

from accelsim.cli import main

from dsehelp import base_spec, nets, write_spec  # noqa: F401 (fixtures)


def _edit(path, value):
    def apply(spec):
        node = spec
        for key in path[:-1]:
            node = node[key]
        if value is _DELETE:
            del node[path[-1]]
        else:
            node[path[-1]] = value
        return spec
    return apply


_DELETE = object()

CASES = {
    "unknown parameter path": (_edit(["hw", "vary", "pe_array.rowz"], [4]), r"hw\.vary\.pe_array\.rowz: unknown hardware "
                                                                           r"parameter 'pe_array\.rowz'; did you mean"),
    "empty list": (_edit(["hw", "vary", "levels.glb.shared_capacity_words"], []),
                   r"hw\.vary\.levels\.glb\.shared_capacity_words: empty list"),
    "bad range: low >= high": (_edit(["hw", "vary", "levels.glb.shared_capacity_words"],
                                     {"range": [4096, 1024], "steps": 3}),
                               r"hw\.vary\.levels\.glb\.shared_capacity_words: range must be \[low, high\]"),
    "bad range: log of 0": (_edit(["hw", "vary", "levels.glb.shared_capacity_words"],
                                  {"range": [0, 1024], "scale": "log", "steps": 3}), r"log range needs low > 0"),
    "bad range: one step": (_edit(["hw", "vary", "levels.glb.shared_capacity_words"], {"range": [1, 1024], "steps": 1}),
                            r"shared_capacity_words\.steps: Input should be greater than or equal to 2"),
    "bad range: scale": (_edit(["hw", "vary", "levels.glb.shared_capacity_words"],
                               {"range": [1, 1024], "steps": 3, "scale": "cubic"}), r"shared_capacity_words\.scale"),
    "unknown network": (_edit(["networks"], ["tiny.csv", "alexnett"]), r"networks\[1\]: .*alexnett"),
    "missing network file": (_edit(["networks"], ["nope.csv"]), r"networks\[0\]: .*nope\.csv"),
    "unknown dataflow": (_edit(["dataflows"], ["rs", "zz"]), r"dataflows\[1\]: .*zz"),
    "no dataflows": (_edit(["dataflows"], []), r"dataflows: empty list"),
    "constraint on an unknown figure": (_edit(["constraints"], {"max_power_w": 3}),
                                        r"constraints: unknown constraint 'max_power_w'"),
    "zip of unequal lengths": (_edit(["hw", "vary", "pe_array.cols"], [8, 14, 16]),
                               r"hw: .*zip\[0\]: zipped parameters need equal numbers of values "
                               r"\(pe_array\.rows has 2, pe_array\.cols has 3\)"),
    "zip of a fixed parameter": (_edit(["hw", "zip"], [["pe_array.rows", "clock_mhz"]]),
                                 r"zip\[0\]: 'clock_mhz' is not a parameter in hw\.vary"),
    "unknown top-level key": (_edit(["sweeps"], 3), r"sweeps: unknown key"),
    "unknown objective": (_edit(["objective"], "power"), r"objective: Input should be"),
    "bad batch": (_edit(["batch"], [1, 0]), r"batch"),
    "bad search method": (_edit(["search"], {"method": "annealing"}), r"search"),
    "random without samples": (_edit(["search"], {"method": "random"}), r"search\.samples: missing"),
    "a point that is not a hardware": (_edit(["hw", "vary", "pe_array.rows"], [8, 0]),
                                       r"hw\.vary: the point pe_array\.rows=0.* field pe_array\.rows"),
    "unknown base": (_edit(["hw", "base"], "eyeriss_v9"), r"hw\.base: unknown hardware config 'eyeriss_v9'"),
    "missing hw": (_edit(["hw"], _DELETE), r"hw: missing"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_malformed_spec_exits_2_with_one_line_before_any_work(case, write_spec, nets, capsys):
    edit, pattern = CASES[case]
    spec = write_spec(edit(copy.deepcopy(base_spec())))
    db = nets / "out.db"
    assert main(["sweep", str(spec), "--db", str(db), "--workers", "1"]) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("accelsim: error: "), captured.err
    import re

    assert re.search(pattern, lines[0]), lines[0]
    assert captured.out == ""
    assert not db.exists()  # refused before the store was opened


def test_yaml_syntax_error_names_the_line(write_spec, nets, capsys):
    path = nets / "bad.yaml"
    path.write_text("networks: [lenet\nhw: {base: eyeriss_v1}\n")
    assert main(["sweep", str(path), "--db", str(nets / "x.db")]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "YAML syntax error at line" in err


def _refused(capsys, spec, db):
    before = db.read_bytes()
    assert main(["sweep", str(spec), "--db", str(db), "--workers", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "refusing to use it" in err, err
    assert db.read_bytes() == before
    return err


def test_non_sqlite_file_is_refused_and_untouched(write_spec, nets, capsys):
    db = nets / "notes.db"
    db.write_bytes(b"my thesis draft\n" * 100)
    assert "not an SQLite database" in _refused(capsys, write_spec(), db)


def test_foreign_sqlite_database_is_refused_and_untouched(write_spec, nets, capsys):
    db = nets / "other.db"
    con = sqlite3.connect(db)
    con.execute("CREATE TABLE evaluations (key TEXT PRIMARY KEY, energy REAL)")
    con.execute("INSERT INTO evaluations VALUES ('a', 1.0)")
    con.commit()
    con.close()
    assert "another application" in _refused(capsys, write_spec(), db)
    assert not (nets / "other.db-wal").exists()


def test_newer_schema_and_truncated_headers_are_refused(write_spec, nets, capsys):
    from accelsim.dse.store import APP_ID

    db = nets / "newer.db"
    con = sqlite3.connect(db)
    con.execute(f"PRAGMA application_id={APP_ID}")
    con.execute("PRAGMA user_version=99")
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    assert "newer accelsim" in _refused(capsys, write_spec(), db)
    short = nets / "short.db"
    short.write_bytes(b"SQLite format 3\x00" + b"\x00" * 20)
    assert "not an SQLite database" in _refused(capsys, write_spec(), short)


def test_a_folder_is_not_a_database(write_spec, nets, capsys):
    folder = nets / "dbdir"
    folder.mkdir()
    assert main(["sweep", str(write_spec()), "--db", str(folder), "--workers", "1"]) == 2
    assert "not a regular file" in capsys.readouterr().err
