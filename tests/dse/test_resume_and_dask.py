"""A sweep killed with SIGKILL part-way resumes to the same table, computing exactly what was
missing; the Dask executor (LocalCluster) and local processes give the same table bit for bit."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import yaml
from conftest import require

import accelsim

SPEC = {"networks": ["lenet"], "dataflows": "all",
        "hw": {"base": "eyeriss_v1", "vary": {"pe_array.rows": [8, 12, 16],
                                              "levels.glb.shared_capacity_words": [16384, 55296]}}}
TOTAL = 4 * 7 * 6  # lenet's 4 distinct layers x 7 dataflows x 6 points


def _count(db) -> int:
    try:
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return con.execute("SELECT count(*) FROM evaluations").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:  # not created yet
        return 0


def _sweep_cmd(spec, db, *extra):
    return [sys.executable, "-m", "accelsim", "sweep", str(spec), "--db", str(db), "--format", "csv", "--quiet",
            *extra]


def test_sigkill_then_restart_gives_the_same_table_and_computes_only_the_missing(tmp_path):
    spec = tmp_path / "s.yaml"
    spec.write_text(yaml.safe_dump(SPEC))
    ref = subprocess.run(_sweep_cmd(spec, tmp_path / "ref.db", "--workers", "1"), capture_output=True, text=True,
                         check=True)
    assert ref.stderr.strip().splitlines()[-1].endswith(f"{TOTAL} computed, 0 reused from {tmp_path / 'ref.db'}")

    db = tmp_path / "killed.db"
    proc = subprocess.Popen(_sweep_cmd(spec, db, "--workers", "2"), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 300
    while _count(db) < 12 and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGKILL)  # the sweep and its worker processes, as a dying job would
    proc.communicate()
    stored = _count(db)
    assert 0 < stored < TOTAL, f"the kill did not land part-way ({stored} of {TOTAL} stored)"

    again = subprocess.run(_sweep_cmd(spec, db, "--workers", "2"), capture_output=True, text=True, check=True)
    summary = again.stderr.strip().splitlines()[-1]
    assert summary == f"sweep: 42 rows (6 points), {TOTAL - stored} computed, {stored} reused from {db}"
    assert again.stdout == ref.stdout  # the same table, byte for byte
    assert _count(db) == TOTAL


def test_dask_localcluster_gives_the_local_table(tmp_path):
    require("distributed")
    spec = dict(SPEC, dataflows=["rs", "ws", "os-a"])
    local = accelsim.sweep(spec, db=str(tmp_path / "local.db"), workers=2, quiet=True)
    dask = accelsim.sweep(spec, db=str(tmp_path / "dask.db"), executor="dask", workers=2, quiet=True)
    assert dask.attrs["computed"] == local.attrs["computed"] == 4 * 3 * 6
    assert dask.equals(local)
    assert dask.to_csv() == local.to_csv()
