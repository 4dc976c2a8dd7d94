"""The first run (issue 16): accelsim knows whether numba's cache holds its kernels, says on stderr
that it is compiling when it does not, and reports the compile time apart from the search time."""

import os
import subprocess
import sys

from accelsim.cli import main
from accelsim.mapping import warmup


def _cached_in_fresh_process(cache_dir) -> str:
    code = "from accelsim.mapping import warmup; print(warmup.kernels_cached())"
    env = dict(os.environ, NUMBA_CACHE_DIR=str(cache_dir))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                          timeout=300).stdout.strip()


def test_an_empty_cache_is_cold_and_a_used_one_is_warm(tmp_path):
    assert _cached_in_fresh_process(tmp_path / "empty") == "False"
    main(["run", "lenet5", "--format", "csv", "--out", os.devnull])  # this process: compiled or loaded
    assert warmup.kernels_cached() is True


def test_a_cold_run_prints_one_notice_and_reports_the_compile_apart(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(warmup, "_STATE", {"notify": None, "seconds": 0.0, "checked": False})
    monkeypatch.setattr(warmup, "kernels_cached", lambda: False)
    monkeypatch.setattr(warmup, "compile_kernels", lambda hw: calls.append(hw.name) or 12.5)
    assert main(["run", "lenet5", "--dataflow", "all"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [warmup.notice()] and "compiling the mapping kernels once" in captured.err
    assert calls == ["eyeriss_v1"]  # once per process, before the first search
    assert "(of which 12.5 s compiling the kernels, once)" in captured.out


def test_a_warm_run_prints_nothing_on_stderr(monkeypatch, capsys):
    monkeypatch.setattr(warmup, "_STATE", {"notify": None, "seconds": 0.0, "checked": False})
    monkeypatch.setattr(warmup, "kernels_cached", lambda: True)
    assert main(["run", "lenet5"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "compiling" not in captured.out
