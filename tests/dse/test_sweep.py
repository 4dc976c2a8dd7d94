"""Sweeps end to end on tiny networks: the table's columns, network totals equal simulate(),
identical layers evaluated once, reruns reuse everything, constraints skip points, optuna."""

import json
import sqlite3

import numpy as np
import pytest
from dsehelp import base_spec, nets, write_spec  # noqa: F401 (fixtures)

import accelsim
from conftest import require
from accelsim.cli import main

COLUMNS = ["network", "batch", "dataflow", "objective", "pe_array.rows", "pe_array.cols",
           "levels.glb.shared_capacity_words", "point", "macs", "energy", "energy_unit", "energy_per_mac", "cycles",
           "latency_ms", "utilization", "area_mm2", "failed_layers", "pareto"]


def _count(db):
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM evaluations").fetchone()[0]
    finally:
        con.close()


def test_table_columns_and_totals_equal_simulate(write_spec, nets, capsys):
    db = nets / "s.db"
    frame = accelsim.sweep(str(write_spec()), db=str(db), workers=1, quiet=True)
    assert list(frame.columns) == COLUMNS
    # 2 zipped arrays x 2 GLB sizes = 4 points; x 2 networks x 2 dataflows = 16 rows
    assert len(frame) == 16 and frame.attrs["points"] == 4
    assert frame["point"].nunique() == 4 and frame["failed_layers"].eq(0).all()
    # distinct nests: tiny {c1, c2=c3} and tiny2 {d1=c2, d2} -> 3 per (point, dataflow)
    assert frame.attrs["computed"] == 3 * 4 * 2 == _count(db) and frame.attrs["reused"] == 0
    for row in frame.itertuples(index=False):
        hw = accelsim.load_hw("eyeriss_v1").derive({"pe_array.rows": row[4], "pe_array.cols": row[5],
                                                    "levels.glb.shared_capacity_words": row[6]})
        net = accelsim.load_network(str(nets / f"{row.network}.csv"))
        result = accelsim.simulate(net, hw, dataflow=row.dataflow)
        assert row.energy == result.energy_total and row.cycles == result.cycles  # exactly
        assert row.macs == result.macs and row.area_mm2 == hw.area_mm2 and row.energy_unit == "normalized"
        assert row.latency_ms == result.cycles / (hw.clock_mhz * 1e3)
        assert row.utilization == pytest.approx(sum(r.macs for r in result.layers) / (result.cycles * hw.num_pes))
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1] == f"sweep: 16 rows (4 points), 24 computed, 0 reused from {db}"


def test_rerun_reuses_everything_and_gives_the_same_table(write_spec, nets, capsys):
    spec, db = write_spec(), nets / "r.db"
    assert main(["sweep", str(spec), "--db", str(db), "--workers", "1", "--format", "csv"]) == 0
    first = capsys.readouterr()
    assert main(["sweep", str(spec), "--db", str(db), "--workers", "1", "--format", "csv"]) == 0
    second = capsys.readouterr()
    assert second.out == first.out
    assert second.err.strip().splitlines()[-1] == f"sweep: 16 rows (4 points), 0 computed, 24 reused from {db}"
    # widening the sweep computes only the new evaluations
    wider = base_spec(dataflows=["rs", "ws", "os-a"])
    assert main(["sweep", str(write_spec(wider, "w.yaml")), "--db", str(db), "--workers", "1", "--quiet"]) == 0
    assert capsys.readouterr().err.strip().splitlines()[-1].endswith("12 computed, 24 reused from " + str(db))


def test_the_objective_and_batch_are_part_of_the_key(write_spec, nets):
    db = nets / "o.db"
    a = accelsim.sweep(str(write_spec()), db=str(db), workers=1, quiet=True)
    b = accelsim.sweep(str(write_spec(base_spec(objective="cycles", batch=[1, 2]), "c.yaml")), db=str(db), workers=1,
                       quiet=True)
    assert b.attrs["computed"] == 48 and b.attrs["reused"] == 0 and len(b) == 32
    assert (b.loc[b.batch == 1, "cycles"].to_numpy() <= a["cycles"].to_numpy()).all()


def test_constraints_skip_points_without_computing_them(write_spec, nets, capsys):
    spec = base_spec(constraints={"max_area_mm2": 3.0})
    frame = accelsim.sweep(str(write_spec(spec)), db=str(nets / "k.db"), workers=1, quiet=True)
    assert (frame["area_mm2"] <= 3.0).all() and frame.attrs["points"] == 2
    assert len(frame.attrs["skipped"]) == 2 and all("area_mm2" in s["reason"] for s in frame.attrs["skipped"])
    assert frame.attrs["computed"] == 3 * 2 * 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-2].startswith("sweep: 2 points skipped by constraints (e.g. area_mm2 ")


def test_pareto_column_is_the_front_of_the_spec_figures(write_spec, nets):
    frame = accelsim.sweep(str(write_spec(base_spec(pareto=["energy", "cycles"]))), db=str(nets / "p.db"), workers=1,
                           quiet=True)
    for _, rows in frame.groupby(["network", "batch"]):
        assert rows["pareto"].equals(accelsim.dse.pareto(rows, objectives=("energy", "cycles")))
    assert frame["pareto"].any()


def test_unmappable_layers_are_counted_not_summed(write_spec, nets):
    # a 1-word ifmap spad cannot hold the 3-wide filter row's ifmap window row stationary needs
    spec = base_spec(dataflows=["rs"], hw={"base": "eyeriss_v1", "vary": {"levels.rf.capacity_words.ifmap": [1, 12]}})
    frame = accelsim.sweep(str(write_spec(spec)), db=str(nets / "f.db"), workers=1, quiet=True)
    bad = frame[frame["levels.rf.capacity_words.ifmap"] == 1]
    assert (bad["failed_layers"] > 0).all() and not bad["pareto"].any()
    with sqlite3.connect(nets / "f.db") as con:
        reasons = [r[0] for r in con.execute("SELECT reason FROM evaluations WHERE ok = 0")]
    assert reasons and all("ifmap spad holds 1 words" in r for r in reasons)
    assert (bad["macs"] == 0).all() and bad["energy"].isna().all()  # every layer failed: no totals


def test_json_output_and_out_file(write_spec, nets, capsys):
    out = nets / "t.json"
    assert main(["sweep", str(write_spec()), "--db", str(nets / "j.db"), "--workers", "1", "--format", "json",
                 "--out", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert len(doc["rows"]) == 16 and doc["meta"]["points"] == 4 and capsys.readouterr().out == ""


def test_plot_pareto_from_the_database(write_spec, nets, capsys):
    db = nets / "pl.db"
    frame = accelsim.sweep(str(write_spec()), db=str(db), workers=1, quiet=True)
    assert main(["plot", "pareto", "--db", str(db), "--out", str(nets / "p.png")]) == 0
    assert (nets / "p.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    fig = accelsim.plot("pareto", frame)
    assert len([ax for ax in fig.axes if ax.get_visible()]) == 2  # one panel per network
    ax = fig.axes[0]
    assert ax.get_xlabel() == "energy (normalized, MAC = 1)" and ax.get_ylabel() == "cycles"
    from accelsim.dse.sweep import load_table

    assert load_table(str(db)).equals(frame)  # the stored table, bit for bit
    assert main(["plot", "pareto", "--out", str(nets / "q.png")]) == 2


def test_optuna_search_is_stored_and_replays(write_spec, nets):
    require("optuna")
    spec = base_spec(dataflows="all", search={"method": "optuna", "trials": 8, "seed": 3, "sampler": "tpe"})
    spec["hw"]["vary"]["levels.glb.shared_capacity_words"] = {"range": [8192, 131072], "scale": "log", "steps": 5}
    path, db = write_spec(spec), nets / "opt.db"
    a = accelsim.sweep(str(path), db=str(db), workers=1, quiet=True)
    assert a.attrs["computed"] == _count(db) > 0 and len(a) > 0
    b = accelsim.sweep(str(path), db=str(db), workers=1, quiet=True)
    assert b.attrs["computed"] == 0 and b.equals(a)
    # every visited (point, dataflow) equals the grid's figures for that point
    row = a.iloc[0]
    hw = accelsim.load_hw("eyeriss_v1").derive({k: int(row[k]) for k in ("pe_array.rows", "pe_array.cols",
                                                                          "levels.glb.shared_capacity_words")})
    net = accelsim.load_network(str(nets / f"{row.network}.csv"))
    assert row.energy == accelsim.simulate(net, hw, dataflow=row.dataflow).energy_total
    assert np.isin(a["dataflow"], ["rs", "ws", "os-a", "os-b", "os-c", "nlr", "is"]).all()
