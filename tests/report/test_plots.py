"""Plots (accelsim/report/plots.py, `accelsim plot`, `accelsim reproduce --plot`): the bars drawn
are the numbers of the frame they come from (read back from the Axes' bar containers), every
kind writes a valid PNG, PDF and SVG, the same plot is the same bytes twice (also in another
process with another hash seed), and bad output paths or options end with exit code 2, one
stderr line, and an existing file left as it was."""

import dataclasses
import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

import accelsim
from accelsim import iosafe
from accelsim.cli import main
from accelsim.errors import UsageError
from accelsim.papers import eyeriss
from accelsim.report import plots

LEVELS = ["mac", "rf", "noc", "glb", "dram"]
MAGIC = {".png": b"\x89PNG\r\n\x1a\n", ".pdf": b"%PDF-", ".svg": b"<svg"}


@pytest.fixture(scope="module")
def lenet_all():
    """LeNet-5 on Eyeriss v1 under every dataflow of --dataflow all (a ResultSet)."""
    return accelsim.simulate("lenet5", "eyeriss_v1", dataflow="all")


@pytest.fixture(scope="module")
def lenet_rs(lenet_all):
    return next(r for r in lenet_all if r.dataflow == "rs")


@pytest.fixture(scope="module")
def isca16_frame():
    return eyeriss.isca16(batches=[1])


def _jssc17_frame():
    """A tiny frame with jssc17()'s columns: two layers x two metrics, AlexNet totals (one without a
    published figure) and a VGG-16 total."""
    rows = [("alexnet", 4, "conv1", "latency_ms", 16.0, 20.0), ("alexnet", 4, "conv1", "dram_mb", 5.5, 5.0),
            ("alexnet", 4, "conv2", "latency_ms", 37.0, 42.0), ("alexnet", 4, "conv2", "dram_mb", 5.4, 4.0),
            ("alexnet", 4, "total (CONV)", "latency_ms", 96.0, 115.3),
            ("alexnet", 4, "total (CONV)", "power_mw", 250.0, None),
            ("vgg16", 3, "total (CONV)", "frames_per_s", 2.2, 0.7)]
    frame = pd.DataFrame(rows, columns=["network", "batch", "layer", "metric", "ours", "published"])
    frame["ratio"] = [o / p if p else None for o, p in zip(frame.ours, frame.published, strict=True)]
    return frame


@pytest.fixture(scope="module")
def data(lenet_all, lenet_rs, isca16_frame):
    """What each kind draws in these tests."""
    return {"energy": lenet_rs, "dataflows": lenet_all, "reuse": lenet_rs, "isca16": isca16_frame,
            "jssc17": _jssc17_frame(), "pareto": _sweep_frame(),
            "sparsity": accelsim.simulate("lenet5", "eyeriss_v1", density="ifmap=0.4"), "mapping": lenet_rs["c3"]}


def _sweep_frame() -> pd.DataFrame:
    """A small sweep table (the columns `accelsim.sweep` returns that the pareto plot reads)."""
    return pd.DataFrame({"network": ["a"] * 4 + ["b"] * 2, "batch": 1, "dataflow": ["rs", "ws", "rs", "ws", "rs", "ws"],
                         "energy": [4.0, 3.0, 2.0, 5.0, 1.0, 2.0], "energy_unit": "pJ",
                         "cycles": [10.0, 20.0, 30.0, 5.0, 7.0, 3.0], "area_mm2": 1.0, "failed_layers": 0})


def _bars(ax) -> dict[str, list]:
    """label -> [(x, bottom, height), ...] of each bar container of ``ax``."""
    return {c.get_label(): [(p.get_x() + p.get_width() / 2, p.get_y(), p.get_height()) for p in c.patches]
            for c in ax.containers}


def _heights(ax, label) -> np.ndarray:
    return np.array([h for _, _, h in _bars(ax)[label]])


def _stack_total(ax) -> np.ndarray:
    """Top of each stacked bar, and a check that every segment sits on the one below it."""
    bars = list(_bars(ax).values())
    top = np.zeros(len(bars[0]))
    for segs in bars:
        assert np.allclose([b for _, b, _ in segs], top, rtol=1e-12, atol=0)
        top = top + [h for _, _, h in segs]
    return top


def _ticks(ax, minor=False) -> list[str]:
    return [t.get_text() for t in ax.get_xticklabels(minor=minor)]


# ------------------------------------------------------------------------------ what is drawn

def test_energy_bars_are_each_layers_energy_by_level(lenet_rs):
    frame = lenet_rs.to_frame()
    fig = plots.energy(lenet_rs)
    assert isinstance(fig, Figure) and len(fig.axes) == 1
    ax = fig.axes[0]
    assert list(_bars(ax)) == [plots.LABELS[lv] for lv in LEVELS]  # ALU at the bottom, DRAM on top
    for lv in LEVELS:
        assert np.allclose(_heights(ax, plots.LABELS[lv]), frame[f"energy_{lv}"], rtol=1e-12, atol=0)
    assert np.allclose(_stack_total(ax), frame["energy"], rtol=1e-12, atol=0)
    assert _ticks(ax) == list(frame["layer"]) == ["c1", "c3", "c5", "f6", "output"]
    assert ax.get_ylabel() == "energy (normalized, MAC = 1)"
    assert "lenet5" in ax.get_title() and "eyeriss_v1" in ax.get_title() and "rs" in ax.get_title()


def test_energy_per_mac_by_datatype_stacks_to_the_layers_energy_per_mac(lenet_rs):
    frame = lenet_rs.to_frame()
    ax = plots.energy(lenet_rs, by="datatype", per_mac=True).axes[0]
    assert list(_bars(ax)) == ["ALU (MAC)", "weights", "ifmap", "psum"]
    assert np.allclose(_heights(ax, "weights"), frame["energy_weights"] / frame["macs"], rtol=1e-12, atol=0)
    assert np.allclose(_stack_total(ax), frame["energy_per_mac"], rtol=1e-12, atol=0)
    assert ax.get_ylabel() == "energy per MAC (normalized, MAC = 1)"


def test_energy_of_several_runs_draws_one_panel_per_run_and_takes_the_unit_from_the_data(lenet_all):
    frame = lenet_all.to_frame().assign(energy_unit="pJ")
    fig = plots.energy(frame)
    assert len(fig.axes) == len(lenet_all)
    for ax, res in zip(fig.axes, lenet_all, strict=True):
        assert ax.get_title().endswith(f", {res.dataflow}") and ax.get_ylabel() == "energy (pJ)"
        assert np.allclose(_stack_total(ax), [r.energy_total for r in res.layers], rtol=1e-12, atol=0)
    with pytest.raises(UsageError, match="different units"):
        plots.energy(frame.assign(energy_unit=["normalized"] + ["pJ"] * (len(frame) - 1)))


def test_energy_draws_into_a_given_axes(lenet_rs):
    fig = Figure()
    ax = fig.add_subplot()
    assert plots.energy(lenet_rs, ax=ax) is fig and len(ax.containers) == len(LEVELS)


def test_dataflows_bars_are_each_dataflows_network_energy_per_mac(lenet_all):
    ax = plots.dataflows(lenet_all).axes[0]
    assert _ticks(ax) == [r.dataflow for r in lenet_all] and _ticks(ax, minor=True) == ["lenet5"]
    assert np.allclose(_stack_total(ax), [r.energy_per_mac for r in lenet_all], rtol=1e-12, atol=0)
    dram = [sum(layer.energy_by_level()["dram"] for layer in r.layers) / r.macs for r in lenet_all]
    assert np.allclose(_heights(ax, "DRAM"), dram, rtol=1e-12, atol=0)
    assert ax.get_ylabel() == "energy per MAC (normalized, MAC = 1)"


def test_dataflows_per_layer_has_a_group_per_layer_then_the_total(lenet_all):
    fig = plots.dataflows(lenet_all, per_layer=True)
    frame = lenet_all.to_frame()
    layers = list(dict.fromkeys(frame["layer"]))
    # 6 groups of 7 dataflows wrap onto two rows of panels at report width
    assert len(fig.axes) == 2 and fig.get_size_inches()[0] == plots.REPORT_WIDTH
    assert [t for ax in fig.axes for t in _ticks(ax, minor=True)] == [*layers, "total"]
    n = len(lenet_all)
    tops = np.concatenate([_stack_total(ax) for ax in fig.axes]).reshape(len(layers) + 1, n)  # groups x dataflows
    for g, layer in enumerate(layers):
        expect = [frame[(frame.layer == layer) & (frame.dataflow == r.dataflow)].energy_per_mac.item()
                  for r in lenet_all]
        assert np.allclose(tops[g], expect, rtol=1e-12, atol=0)
    assert np.allclose(tops[-1], [r.energy_per_mac for r in lenet_all], rtol=1e-12, atol=0)


def test_reuse_bars_are_the_reuse_columns_on_a_log_scale(lenet_rs):
    frame = lenet_rs.to_frame()
    fig = plots.reuse(lenet_rs)
    assert [ax.get_title() for ax in fig.axes] == ["weights", "ifmap", "psum"]
    for ax, dtype in zip(fig.axes, ["weights", "ifmap", "psum"], strict=True):
        assert ax.get_yscale() == "log" and _ticks(ax) == list(frame["layer"])
        for level, label in [("dram", "DRAM"), ("glb", "buffer (GLB)"), ("rf", "RF")]:
            expect = pd.to_numeric(frame[f"reuse_{level}_{dtype}"]).to_numpy(dtype=float)
            np.testing.assert_allclose(_heights(ax, label), expect, rtol=1e-12)  # NaN (never accessed) = NaN
    # Eyeriss v1's weights bypass the GLB: no GLB bar for weights, one for ifmaps
    assert np.isnan(_heights(fig.axes[0], "buffer (GLB)")).all()
    assert np.isfinite(_heights(fig.axes[1], "buffer (GLB)")).all()


def test_isca16_panels_are_the_frames_energy_by_level_and_datatype_and_dram_accesses(isca16_frame):
    fig = plots.isca16(isca16_frame)
    assert len(fig.axes) == 6  # (by level, by datatype, DRAM accesses) x (CONV, FC)
    grid = np.array(fig.axes).reshape(3, 2)
    for col, kind in enumerate(["conv", "fc"]):
        rows = isca16_frame[isca16_frame.layers == kind]
        level, dtype, dram = grid[:, col]
        assert kind.upper() in level.get_title() and _ticks(level) == list(rows.dataflow)
        assert _ticks(level, minor=True) == ["batch 1"]
        for lv in LEVELS:
            assert np.allclose(_heights(level, plots.LABELS[lv]), rows[f"energy_per_mac_{lv}"], rtol=1e-12, atol=0)
        assert np.allclose(_stack_total(level), rows.energy_per_mac, rtol=1e-12, atol=0)
        assert np.allclose(_heights(dtype, "psum"), rows.energy_per_mac_psum, rtol=1e-12, atol=0)
        assert np.allclose(_stack_total(dtype), rows.energy_per_mac, rtol=1e-12, atol=0)
        assert np.allclose(_heights(dram, "DRAM accesses"), rows.dram_accesses_per_mac, rtol=1e-12, atol=0)
        assert level.get_ylabel() == "energy per MAC (normalized, MAC = 1)"
        assert dram.get_ylabel() == "DRAM accesses per MAC (words)"


def test_jssc17_shows_ours_next_to_published_per_layer_and_the_totals_ratios():
    frame = _jssc17_frame()
    fig = plots.jssc17(frame)
    latency, dram, totals = fig.axes[:3]
    assert latency.get_title().startswith("latency") and dram.get_title().startswith("DRAM data accessed")
    assert _ticks(latency) == ["conv1", "conv2"] and latency.get_ylabel() == "ms"
    assert list(_heights(latency, "ours")) == [16.0, 37.0]
    assert list(_heights(latency, "published")) == [20.0, 42.0]
    assert list(_heights(dram, "ours")) == [5.5, 5.4] and list(_heights(dram, "published")) == [5.0, 4.0]
    ours, published = (np.array([x for x, _, _ in _bars(dram)[k]]) for k in ("ours", "published"))
    assert (ours < published).all()  # side by side, ours on the left
    assert [t.get_text() for t in latency.texts] == ["0.80x", "0.88x"]  # the gap, written above
    # totals: only those with a published figure, as ours / published
    assert np.allclose(_heights(totals, "ours / published"), [96.0 / 115.3, 2.2 / 0.7])
    assert _ticks(totals) == ["alexnet\nlatency", "vgg16\nframes/s"]


# ---------------------------------------------------------------------------------- the files

@pytest.mark.parametrize("suffix", [".png", ".pdf", ".svg"])
@pytest.mark.parametrize("kind", list(plots.KINDS))
def test_every_kind_writes_a_valid_file_and_the_same_bytes_twice(data, tmp_path, kind, suffix):
    one, two = tmp_path / f"one{suffix}", tmp_path / f"two{suffix}"
    assert isinstance(accelsim.plot(kind, data[kind], out=one), Figure)
    accelsim.plot(kind, data[kind], out=two)  # a second, separately built figure
    blob = one.read_bytes()
    assert len(blob) > 1000 and MAGIC[suffix] in blob[:300]
    assert blob == two.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([one.name, two.name])  # no temp files left


def test_files_carry_no_date_or_software_version(data, tmp_path):
    for suffix in MAGIC:
        blob = plots.figure_bytes(plots.energy(data["energy"]), suffix[1:])
        for stamp in (b"CreationDate", b"<dc:date>", b"Software", b"Producer", b"Matplotlib v"):
            assert stamp not in blob, (suffix, stamp)
    assert b"<svg" in plots.figure_bytes(plots.energy(data["energy"]), "svg")


def test_another_process_with_another_hash_seed_writes_the_same_bytes(tmp_path):
    script = textwrap.dedent("""
        import sys
        import pandas as pd
        from accelsim.report import plots
        frame = pd.read_pickle(sys.argv[1])
        for suffix in ("png", "pdf", "svg"):
            plots.save(plots.jssc17(frame), f"{sys.argv[2]}.{suffix}")
    """)
    _jssc17_frame().to_pickle(tmp_path / "frame.pkl")
    for seed in ("1", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed, MPLBACKEND="Agg")
        done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "frame.pkl"), str(tmp_path / seed)],
                              capture_output=True, env=env, timeout=300)
        assert done.returncode == 0, done.stderr
    for suffix in ("png", "pdf", "svg"):
        assert (tmp_path / f"1.{suffix}").read_bytes() == (tmp_path / f"4242.{suffix}").read_bytes(), suffix


def test_a_write_that_fails_halfway_keeps_the_old_plot_and_leaves_no_temp(data, tmp_path, monkeypatch):
    target = tmp_path / "fig.png"
    target.write_bytes(b"old figure")

    def crash(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(iosafe.os, "fsync", crash)
    with pytest.raises(UsageError, match="cannot write plot .*fig.png: No space left on device"):
        plots.save(plots.energy(data["energy"]), target)
    assert target.read_bytes() == b"old figure" and [p.name for p in tmp_path.iterdir()] == ["fig.png"]


# ------------------------------------------------------------------------------- the commands

def _run(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_plot_writes_what_the_api_draws(data, tmp_path, capsys):
    out = tmp_path / "energy.svg"
    code, text, err = _run(capsys, ["plot", "energy", "lenet5", "--hw", "eyeriss_v1", "--by", "datatype",
                                    "--per-mac", "--out", str(out)])
    assert (code, err) == (0, "") and text == f"wrote the energy plot of lenet5 on eyeriss_v1 to {out}\n"
    same = plots.figure_bytes(plots.energy(data["energy"], by="datatype", per_mac=True), "svg")
    assert out.read_bytes() == same


def test_cli_dataflows_defaults_to_every_dataflow(data, tmp_path, capsys):
    out = tmp_path / "d.png"
    code, _, err = _run(capsys, ["plot", "dataflows", "lenet5", "--out", str(out)])
    assert (code, err) == (0, "")
    assert out.read_bytes() == plots.figure_bytes(plots.dataflows(data["dataflows"]), "png")


def test_cli_study_plots_run_the_study_with_the_given_batch(isca16_frame, tmp_path, capsys, monkeypatch):
    calls = []

    def fake_isca16(batches=None):
        calls.append(batches)
        return isca16_frame

    monkeypatch.setattr(eyeriss, "isca16", fake_isca16)
    monkeypatch.setattr(eyeriss, "jssc17", _jssc17_frame)
    assert _run(capsys, ["plot", "isca16", "--batch", "1", "--out", str(tmp_path / "i.pdf")])[0] == 0
    assert _run(capsys, ["plot", "jssc17", "--out", str(tmp_path / "j.pdf")])[0] == 0
    assert calls == [[1]]
    assert (tmp_path / "i.pdf").read_bytes() == plots.figure_bytes(plots.isca16(isca16_frame), "pdf")
    assert (tmp_path / "j.pdf").read_bytes() == plots.figure_bytes(plots.jssc17(_jssc17_frame()), "pdf")


@pytest.mark.parametrize("study, kind", [("eyeriss-isca16", "isca16"), ("eyeriss-jssc17", "jssc17")])
def test_reproduce_plot_writes_the_figure_next_to_the_text(data, tmp_path, capsys, monkeypatch, study, kind):
    monkeypatch.setattr(eyeriss, "isca16", lambda batches=None: data["isca16"])
    monkeypatch.setattr(eyeriss, "jssc17", _jssc17_frame)
    fig, txt = tmp_path / "fig.svg", tmp_path / "table.txt"
    code, out, err = _run(capsys, ["reproduce", study, "--out", str(txt), "--plot", str(fig)])
    assert (code, out, err) == (0, "", "")
    assert "Eyeriss" in txt.read_text()
    assert fig.read_bytes() == plots.figure_bytes(plots.figure(kind, data[kind]), "svg")


def test_reproduce_checks_the_plot_path_before_running_the_study(tmp_path, capsys, monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the study ran before the bad --plot was reported")

    monkeypatch.setattr(eyeriss, "isca16", never)
    code, out, err = _run(capsys, ["reproduce", "eyeriss-isca16", "--plot", str(tmp_path / "fig.jpg")])
    assert code == 2 and out == "" and err.count("\n") == 1 and "suffix '.jpg'" in err


# (case id, argv with {out} for the existing output file, words of the one stderr line)
BAD = [
    ("bad-suffix", ["plot", "energy", "lenet5", "--out", "{dir}/keep.jpg"], ["keep.jpg", "suffix '.jpg'", ".svg"]),
    ("no-suffix", ["plot", "energy", "lenet5", "--out", "{dir}/keep"], ["no suffix", ".png"]),
    ("missing-folder", ["plot", "energy", "lenet5", "--out", "{dir}/no/such/x.png"], ["folder", "does not exist"]),
    ("folder-is-a-file", ["plot", "reuse", "lenet5", "--out", "{dir}/keep.png/x.png"], ["is not a folder"]),
    ("out-is-a-folder", ["plot", "reuse", "lenet5", "--out", "{dir}"], ["no suffix"]),
    ("out-is-a-folder-png", ["plot", "reuse", "lenet5", "--out", "{dir}/sub.png"], ["sub.png", "it is a folder"]),
    ("unknown-kind", ["plot", "roofline", "lenet5", "--out", "{dir}/keep.png"], ["invalid choice: 'roofline'"]),
    ("no-kind", ["plot", "--out", "{dir}/keep.png"], ["required: kind"]),
    ("no-out", ["plot", "energy", "lenet5"], ["required: --out"]),
    ("no-network", ["plot", "energy", "--out", "{dir}/keep.png"], ["plot energy needs a NETWORK"]),
    ("study-with-network", ["plot", "isca16", "alexnet", "--out", "{dir}/keep.png"], ["takes no NETWORK"]),
    ("study-with-hw", ["plot", "jssc17", "--hw", "eyeriss_v1", "--out", "{dir}/keep.png"], ["takes no hw (--hw)"]),
    ("option-of-another-kind", ["plot", "reuse", "lenet5", "--per-mac", "--out", "{dir}/keep.png"],
     ["plot reuse has no option per_mac (--per-mac)"]),
    ("bad-by", ["plot", "energy", "lenet5", "--by", "layer", "--out", "{dir}/keep.png"], ["--by", "'layer'"]),
    ("unknown-network", ["plot", "energy", "lenet6", "--out", "{dir}/keep.png"], ["unknown network 'lenet6'"]),
    ("unknown-hw", ["plot", "energy", "lenet5", "--hw", "nope", "--out", "{dir}/keep.png"], ["'nope'"]),
    ("unknown-dataflow", ["plot", "energy", "lenet5", "--dataflow", "rowstat", "--out", "{dir}/keep.png"],
     ["unknown dataflow 'rowstat'"]),
]


@pytest.mark.parametrize("argv, words", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_plot_input_exits_2_with_one_line_and_leaves_files_alone(tmp_path, capsys, argv, words):
    for name in ("keep.png", "keep.jpg", "keep"):
        (tmp_path / name).write_bytes(b"precious " + name.encode())
    (tmp_path / "sub.png").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    code, out, err = _run(capsys, [a.replace("{dir}", str(tmp_path)) for a in argv])
    assert code == 2 and out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("accelsim: error: ")
    for word in words:
        assert word in err, (word, err)
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    for name in ("keep.png", "keep.jpg", "keep"):
        assert (tmp_path / name).read_bytes() == b"precious " + name.encode()


def test_layers_without_a_mapping_are_named_and_the_rest_is_plotted(tmp_path, capsys):
    # a 2x2-PE array with 2-word spads: RS cannot hold a filter row of most of LeNet's layers
    hw = tmp_path / "tiny.yaml"
    hw.write_text("name: tiny\nclock_mhz: 100\npe_array: {rows: 2, cols: 2}\nenergy: {table: eyeriss_isca16}\n"
                  "levels:\n  dram: {}\n  glb: {shared_capacity_words: 256}\n  noc: {}\n"
                  "  rf: {capacity_words: {weights: 2, ifmap: 2, psum: 2}}\n")
    out = tmp_path / "e.png"
    code, _, err = _run(capsys, ["plot", "energy", "lenet-caffe", "--hw", str(hw), "--out", str(out)])
    result = accelsim.simulate("lenet-caffe", str(hw))
    failed = [f.layer for f in result.failures]
    assert failed and result.layers  # the case this test is about: some fail, some map
    assert code == 2 and [line.split()[3] for line in err.strip().splitlines()] == failed
    assert out.read_bytes() == plots.figure_bytes(plots.energy(result), "png")
    assert _ticks(plots.energy(result).axes[0]) == [r.layer for r in result.layers]


# ----------------------------------------------------------------------------------- the API

def test_api_plot_simulates_a_network_name(lenet_rs):
    fig = accelsim.plot("energy", "lenet5", hw="eyeriss_v1")
    assert np.allclose(_stack_total(fig.axes[0]), [r.energy_total for r in lenet_rs.layers], rtol=1e-12, atol=0)


@pytest.mark.parametrize("call, words", [
    (lambda d: accelsim.plot("roofline", d["energy"]), "unknown plot kind 'roofline'"),
    (lambda d: accelsim.plot("energy", d["energy"], hw="eyeriss_v1"), "of a result takes no hw"),
    (lambda d: accelsim.plot("energy"), "needs a network"),
    (lambda d: accelsim.plot("energy", d["energy"], by="level", colour="red"), "no option colour"),
    (lambda d: accelsim.plot("energy", d["energy"], by="dtype"), "unknown energy breakdown 'dtype'"),
    (lambda d: accelsim.plot("energy", "lenet5", batch=0), "batch must be a positive integer"),
    (lambda d: accelsim.plot("jssc17", d["jssc17"], batch=2), "takes no batch"),
    (lambda d: accelsim.plot("energy", 42), "cannot plot a int"),
    (lambda d: accelsim.plot("energy", pd.DataFrame()), "nothing to plot"),
    (lambda d: accelsim.plot("reuse", d["jssc17"]), "needs the column(s) reuse_dram_weights"),
])
def test_api_plot_bad_input_is_a_one_line_usage_error(data, call, words):
    with pytest.raises(UsageError) as info:
        call(data)
    assert words in str(info.value) and "\n" not in str(info.value)


def test_reuse_of_a_long_network_puts_the_datatypes_one_above_the_other(lenet_rs):
    frame = lenet_rs.to_frame()
    long = pd.concat([frame.assign(layer=frame.layer + f"_{i}") for i in range(2)], ignore_index=True)
    fig = plots.reuse(long)
    lefts = [ax.get_position().x0 for ax in fig.axes]
    bottoms = [ax.get_position().y0 for ax in fig.axes]
    assert len(fig.axes) == 3 and np.allclose(lefts, lefts[0]) and bottoms[0] > bottoms[1] > bottoms[2]
    assert _ticks(fig.axes[2]) == list(long.layer)
    assert np.allclose(_heights(fig.axes[2], "DRAM"), long.reuse_dram_psum, rtol=1e-12, atol=0)


# ------------------------------------------------------------------ layer filter, log, mapping

def test_layer_filter_keeps_the_chosen_layers_and_their_energies(lenet_rs):
    frame = lenet_rs.to_frame()
    conv = plots.energy(lenet_rs, layers="conv").axes[0]
    assert _ticks(conv) == list(frame[frame.type != "fc"].layer) == ["c1", "c3", "c5"]
    assert "(conv layers)" in conv.get_title()
    fc = plots.energy(lenet_rs, layers="fc", log=True).axes[0]
    assert _ticks(fc) == ["f6", "output"] and fc.get_yscale() == "log"
    assert np.allclose(_stack_total(fc), frame[frame.type == "fc"].energy, rtol=1e-12, atol=0)
    named = plots.energy(lenet_rs, layers="c3,output").axes[0]
    assert _ticks(named) == ["c3", "output"]
    reuse = plots.reuse(lenet_rs, layers=["c1"], log=False)
    assert all(_ticks(ax) == ["c1"] and ax.get_yscale() == "linear" for ax in reuse.axes)
    with pytest.raises(UsageError, match="no layer c9 in the data"):
        plots.energy(lenet_rs, layers="c1,c9")


def test_dataflows_totals_follow_the_layer_filter(lenet_all):
    frame = lenet_all.to_frame()
    conv = frame[frame.type != "fc"]
    ax = plots.dataflows(lenet_all, layers="conv", log=True).axes[0]
    expect = [(conv[conv.dataflow == r.dataflow].energy.sum() / conv[conv.dataflow == r.dataflow].macs.sum())
              for r in lenet_all]
    assert np.allclose(_stack_total(ax), expect, rtol=1e-12, atol=0) and ax.get_yscale() == "log"


def test_a_long_network_wraps_at_report_width_with_readable_fonts(lenet_rs):
    frame = lenet_rs.to_frame()
    long = pd.concat([frame.assign(layer=frame.layer + f"_{i}") for i in range(11)], ignore_index=True)  # 55
    fig = plots.energy(long)
    assert len(fig.axes) == 3 and fig.get_size_inches()[0] == plots.REPORT_WIDTH
    assert [len(_ticks(ax)) for ax in fig.axes] == [19, 19, 17]
    assert np.allclose(np.concatenate([_stack_total(ax) for ax in fig.axes]), long.energy, rtol=1e-12, atol=0)
    width, height = fig.get_size_inches()
    assert width / height < 2.5  # not a strip
    for ax in fig.axes:
        assert min(t.get_fontsize() for t in ax.get_xticklabels()) >= 8


def _image_pes(ax) -> np.ndarray:
    """bool [rows, cols]: the PEs drawn in a colour other than the idle grey."""
    from matplotlib.colors import to_rgb

    rgb = np.asarray(ax.images[0].get_array())
    return ~np.all(np.isclose(rgb, to_rgb(plots.IDLE_COLOR)), axis=-1)


def test_mapping_plot_colours_exactly_the_active_pes(lenet_rs):
    from accelsim.report import pe_grid

    for r in lenet_rs.layers:
        fig = plots.mapping(r)
        ax = fig.axes[0]
        drawn = _image_pes(ax)
        assert drawn.shape == (12, 14) and drawn.sum() == r.active_pes
        idx = pe_grid.pe_indices(r.mapping, 12, 14)
        assert (drawn == pe_grid.active(idx)).all()
        assert f"{r.active_pes} of 168 PEs active" in fig.get_suptitle()
        assert f"{r.pe_utilization:.1%}" in fig.get_suptitle()
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend[-1] == "idle"


def test_mapping_plot_of_alexnet_conv1_rs_shows_the_pe_sets(tmp_path, capsys):
    """With strip-mining RS spreads conv1's 55 ofmap rows over 7 PE columns (R11 down, E7 across): by
    hand 8 passes of 7 rows and a last of 55 - 7 x 7 = 6, so a first panel of 11 x 7 = 77 PEs in one
    PE set and a last-pass panel of 11 x 6 = 66. The CLI (exact splits, the default) draws the
    figure of the default mapping."""
    net = accelsim.load_network("alexnet")
    r = accelsim.simulate(net["conv1"], "eyeriss_v1", dataflow="rs", strip_mining=True)
    assert "rows[R11] cols[E7]" in r.mapping.loop_text()
    fig = plots.mapping(r)
    first, last = (ax for ax in fig.axes if ax.images)
    assert _image_pes(first).sum() == r.active_pes == 77 and _image_pes(last).sum() == 66
    assert first.get_title() == "rs: 77/168 PEs (46%), 1 PE set"
    assert last.get_title() == "rs: last pass (39%), 1 PE set"
    out = tmp_path / "m.png"
    code, text, err = _run(capsys, ["plot", "mapping", "alexnet", "--layer", "conv1", "--hw", "eyeriss_v1",
                                    "--dataflow", "rs", "--out", str(out)])
    assert (code, err) == (0, "") and "conv1" in text
    exact = accelsim.simulate(net["conv1"], "eyeriss_v1", dataflow="rs")
    same = plots.mapping(dataclasses.replace(exact, network="alexnet"))  # the CLI maps only conv1 of alexnet
    assert out.read_bytes() == plots.figure_bytes(same, "png")


def test_mapping_plot_needs_one_layer(lenet_rs, lenet_all):
    with pytest.raises(UsageError, match="draws one layer; the result has 5"):
        plots.mapping(lenet_rs)
    with pytest.raises(UsageError, match="no layer 'c9'"):
        plots.mapping(lenet_rs, layer="c9")
    fig = plots.mapping(lenet_all, layer="c1")  # one panel per dataflow, one more for a partial last pass
    partial = [any(b % (f[0] * f[1] * f[2]) and b > f[0] * f[1] * f[2]
                   for b, f in zip(res["c1"].bounds, np.array(res["c1"].mapping.factors).T, strict=True))
               for res in lenet_all]
    drawn = [ax for ax in fig.axes if ax.images]
    assert len(drawn) == len(lenet_all) + sum(partial)
    firsts = iter(ax for ax in drawn if "last pass" not in ax.get_title())
    for res in lenet_all:
        assert _image_pes(next(firsts)).sum() == res["c1"].active_pes


def test_mapping_plot_adds_the_partial_last_pass_of_an_imperfect_factor(lenet_rs):
    from accelsim.mapping.dims import DIMS

    r = lenet_rs["c1"]
    f = np.array(r.mapping.factors)
    e = DIMS.index("E")
    cols_e = f[2, e]
    assert cols_e > 1  # c1 spreads ofmap rows over PE columns
    bounds = list(r.bounds)
    bounds[e] -= 1  # one ofmap row fewer than the factors cover: the last pass leaves a column idle
    fig = plots.mapping(dataclasses.replace(r, bounds=tuple(bounds)))
    first, last = (ax for ax in fig.axes if ax.images)
    assert _image_pes(first).sum() == r.active_pes
    assert _image_pes(last).sum() == r.active_pes // cols_e * (cols_e - 1)
    assert "last pass" in last.get_title()
