"""Determinism and safe outputs (issue 7).

Determinism: the same run in two fresh processes, with different hash seeds and numba thread
counts, prints the same bytes. Safe outputs: every file accelsim writes goes through
write-to-temp-then-rename, so an interrupted write leaves the old file intact and no litter."""

import os
import signal
import subprocess
import sys
import time

import pytest

from accelsim import iosafe
from accelsim.cli import main


def _accelsim(*argv, env_extra=None, cwd=None, **kw):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "accelsim", *argv], capture_output=True, env=env, cwd=cwd,
                          timeout=600, **kw)


def test_two_fresh_processes_with_different_hash_seeds_and_threads_agree_byte_for_byte():
    argv = ("run", "alexnet", "--hw", "eyeriss_v1", "--dataflow", "all", "--batch", "2", "--format", "csv")
    one = _accelsim(*argv, env_extra={"PYTHONHASHSEED": "0", "NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})
    two = _accelsim(*argv, env_extra={"PYTHONHASHSEED": "4242", "NUMBA_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"})
    assert one.returncode == 0 and two.returncode == 0, (one.stderr, two.stderr)
    assert one.stdout.count(b"\n") == 1 + 8 * 7  # header + 8 layers x 7 dataflows
    assert one.stdout == two.stdout


def test_json_output_is_deterministic_in_process(capsys):
    outputs = []
    for _ in range(2):
        assert main(["run", "lenet5", "--dataflow", "all", "--format", "json"]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and '"energy_per_mac"' in outputs[0]


def _listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_write_that_fails_halfway_keeps_the_old_file_and_leaves_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "report.csv"
    target.write_text("old results\n")
    def crash(fd):  # the new text is partly on disk when the "power goes out"
        raise OSError("disk full")

    monkeypatch.setattr(iosafe.os, "fsync", crash)
    with pytest.raises(OSError, match="disk full"):
        iosafe.atomic_write_text(target, "new results\n" * 1000)
    monkeypatch.undo()
    assert target.read_text() == "old results\n"
    assert _listing(tmp_path) == ["report.csv"]
    iosafe.atomic_write_text(target, "new results\n")
    assert target.read_text() == "new results\n" and _listing(tmp_path) == ["report.csv"]


def test_an_interrupt_during_the_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "out.json"
    target.write_text("{}\n")
    with pytest.raises(KeyboardInterrupt):
        with iosafe.atomic_path(target) as tmp:
            tmp.write_text('{"half": ')
            raise KeyboardInterrupt
    assert target.read_text() == "{}\n" and _listing(tmp_path) == ["out.json"]


def test_killing_a_run_mid_way_leaves_the_previous_output_intact(tmp_path):
    out = tmp_path / "results.csv"
    out.write_text("precious results of yesterday\n")
    # the unconstrained mapspace of VGG-16 takes about 40 s to search: the kill lands while mapping
    proc = subprocess.Popen([sys.executable, "-m", "accelsim", "run", "vgg16", "--dataflow", "free",
                             "--format", "csv", "--out", str(out)], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(4)  # started, mapping: long before the output is written
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    assert proc.returncode != 0
    assert out.read_text() == "precious results of yesterday\n"


def test_a_failing_run_does_not_touch_its_out_file(tmp_path, capsys):
    out = tmp_path / "keep.csv"
    out.write_text("keep\n")
    assert main(["run", "lenet5", "--hw", "no_such_chip", "--out", str(out)]) == 2
    assert "unknown hardware config 'no_such_chip'" in capsys.readouterr().err
    assert out.read_text() == "keep\n" and _listing(tmp_path) == ["keep.csv"]


def test_atomic_output_has_the_permissions_a_plain_write_would_give(tmp_path):
    """A new file follows the umask (not mkstemp's private 0o600); an existing one keeps its mode."""
    old = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.csv"
        iosafe.atomic_write_text(fresh, "a\n")
        assert fresh.stat().st_mode & 0o777 == 0o644
        kept = tmp_path / "kept.csv"
        kept.write_text("old\n")
        kept.chmod(0o640)
        iosafe.atomic_write_text(kept, "new\n")
        assert kept.stat().st_mode & 0o777 == 0o640 and kept.read_text() == "new\n"
    finally:
        os.umask(old)


def test_ctrl_c_stops_a_run_with_one_line_and_keeps_the_output(tmp_path):
    """SIGINT during the search stops it (the searches poll a stop flag; the main thread only
    waits), exits 130 with one line, and leaves --out as it was."""
    out = tmp_path / "results.csv"
    out.write_text("precious results of yesterday\n")
    proc = subprocess.Popen([sys.executable, "-m", "accelsim", "run", "vgg16", "--dataflow", "free",
                             "--format", "csv", "--out", str(out)], cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(4)  # started, mapping (the whole run takes about 40 s)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)  # a run that ignored the interrupt would still be searching
    assert proc.returncode == 130
    assert err.decode().strip().splitlines() == ["accelsim: interrupted"]
    assert out.read_text() == "precious results of yesterday\n" and _listing(tmp_path) == ["results.csv"]
