"""The output side (issue 16): no write replaces a non-regular file, a full or closed stdout is one
line with exit 2, JSON never holds NaN, a failed dataflow keeps the others' results, new folders
follow the umask, and an unexpected exception is one line with exit 3 (``--debug`` shows more)."""

import json
import os
import stat
import subprocess
import sys
import threading

import pytest

from accelsim import iosafe
from accelsim.cli import EXIT_INTERNAL, main

# a GLB that holds nothing and no psum store in the RF: WS cannot map anything, RS can
_NO_PSUM_STORE = (b"name: nopsum\nclock_mhz: 200\npe_array: {rows: 12, cols: 14}\nenergy: {table: eyeriss_isca16}\n"
                  b"levels:\n  dram: {}\n  glb: {shared_capacity_words: 0}\n  noc: {}\n"
                  b"  rf: {capacity_words: {weights: 224, ifmap: 12, psum: 24}}\n")


def _drain(path, sink):
    with open(path, "rb") as fh:
        sink.append(fh.read())


@pytest.mark.parametrize("writer", ["atomic_write_text", "run --out", "export --out"])
def test_a_fifo_target_is_written_through_and_stays_a_fifo(tmp_path, monkeypatch, writer):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=_drain, args=(fifo, got))
    reader.start()
    if writer == "atomic_write_text":
        iosafe.atomic_write_text(fifo, "hello\n")
    elif writer == "run --out":
        assert main(["run", "lenet5", "--format", "csv", "--out", str(fifo)]) == 0
    else:
        assert main(["export", "lenet5", "--to", "csv", "--out", str(fifo)]) == 0
    reader.join(timeout=60)
    assert not reader.is_alive()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)  # never replaced by a regular file
    assert got and got[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.fifo"]  # no temporary litter


def test_a_device_node_target_is_written_through_and_stays_a_device(tmp_path):
    node = tmp_path / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null (needs root)
    except (PermissionError, OSError):
        pytest.skip("mknod of a character device is not permitted here")
    assert main(["export", "lenet5", "--to", "csv", "--out", str(node)]) == 0
    iosafe.atomic_write_bytes(node, b"x" * 1000)
    st = os.lstat(node)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == os.makedev(1, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["null"]


def test_a_folder_or_an_empty_path_is_refused_before_writing(tmp_path):
    with pytest.raises(IsADirectoryError):
        iosafe.atomic_write_text(tmp_path, "x")
    with pytest.raises(FileNotFoundError):
        iosafe.atomic_write_text("", "x")
    assert list(tmp_path.iterdir()) == []


def _accelsim(*argv, stdout=None, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "accelsim", *argv], stdout=stdout, stderr=subprocess.PIPE, env=env,
                          timeout=600)


def test_a_full_stdout_is_one_line_and_exit_2():
    with open("/dev/full", "wb") as full:
        proc = _accelsim("layers", "alexnet", stdout=full)
    err = proc.stderr.decode().splitlines()
    assert proc.returncode == 2 and len(err) == 1, proc.stderr
    assert err[0].startswith("accelsim: error: cannot write to standard output") and "No space left" in err[0]


def test_a_closed_stdout_is_one_line_and_exit_2():
    proc = subprocess.run([sys.executable, "-m", "accelsim", "layers", "alexnet"], stderr=subprocess.PIPE,
                          stdout=None, timeout=600, preexec_fn=lambda: os.close(1))
    err = proc.stderr.decode().splitlines()
    assert proc.returncode == 2 and len(err) == 1, proc.stderr
    assert "cannot write to standard output" in err[0]


def test_json_has_no_nan_and_a_failed_dataflow_keeps_the_others(tmp_path, capsys):
    hw = tmp_path / "nopsum.yaml"
    hw.write_bytes(_NO_PSUM_STORE)
    code = main(["run", "lenet5", "--hw", str(hw), "--dataflow", "all", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 2  # the layers WS (and others) cannot map are reported, one line each
    assert all(line.startswith("accelsim: error: layer ") for line in captured.err.splitlines())
    doc = json.loads(captured.out, parse_constant=lambda c: pytest.fail(f"JSON holds {c}"))
    totals = {t["dataflow"]: t for t in doc["meta"]["totals"]}
    failed = [d for d, t in totals.items() if t["failed_layers"]]
    mapped = [d for d, t in totals.items() if not t["failed_layers"]]
    assert "ws" in failed and "rs" in mapped
    for d in failed:
        assert totals[d]["energy"] is None and totals[d]["energy_per_mac"] is None and totals[d]["cycles"] is None
        assert totals[d]["failed_layers"] + totals[d]["mapped_layers"] == 5  # LeNet-5's conv/fc layers
    for d in mapped:
        t = totals[d]
        assert t["energy"] > 0 and t["latency_ms"] == pytest.approx(t["cycles"] / 200e3)
        assert t["area_mm2"] > 0 and t["failed_layers"] == 0
    rows = {r["dataflow"] for r in doc["rows"]}
    assert set(mapped) <= rows and "ws" not in rows  # every mapped dataflow's rows survive


def test_csv_of_a_run_where_nothing_maps_keeps_its_header(tmp_path, capsys):
    hw = tmp_path / "nopsum.yaml"
    hw.write_bytes(_NO_PSUM_STORE)
    assert main(["run", "lenet5", "--hw", str(hw), "--dataflow", "ws", "--format", "csv"]) == 2
    out = capsys.readouterr().out
    assert out.startswith("layer,type,dataflow,macs,energy") and out.count("\n") == 1


def test_the_no_mapping_totals_of_tpu_like_are_null_not_nan(capsys):
    code = main(["run", "dsconv-standard", "--hw", "tpu_like", "--format", "json"])
    captured = capsys.readouterr()
    doc = json.loads(captured.out, parse_constant=lambda c: pytest.fail(f"JSON holds {c}"))
    (total,) = doc["meta"]["totals"]
    assert (code == 2) == (total["failed_layers"] > 0)
    assert (total["energy"] is None) == (total["failed_layers"] > 0)


def test_timeloop_export_folders_follow_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        assert main(["export", "lenet5", "--to", "timeloop", "--out", str(tmp_path / "tl")]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "tl").st_mode) == 0o755


def test_an_internal_error_is_one_line_exit_3_and_debug_shows_the_traceback(monkeypatch, capsys):
    from accelsim.cli import workload_cmds

    def boom(args):
        raise ZeroDivisionError("planted")

    monkeypatch.setattr(workload_cmds, "cmd_layers", boom, raising=False)
    import accelsim.cli as cli

    real = cli.build_parser

    def parser():
        p = real()
        p._subparsers._group_actions[0].choices["layers"].set_defaults(func=boom)
        return p

    monkeypatch.setattr(cli, "build_parser", parser)
    assert main(["layers", "lenet5"]) == EXIT_INTERNAL
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("accelsim: internal error: ZeroDivisionError")
    assert "planted" in err[0] and "bug" in err[0] and "--debug" in err[0]
    assert main(["layers", "lenet5", "--debug"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "Traceback" in err and err.rstrip().splitlines()[-1].startswith("accelsim: internal error")
