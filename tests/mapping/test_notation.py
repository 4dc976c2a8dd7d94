"""mapping/notation.py: the report's mapping string read back (factors equal the Mapping's) and read
aloud (`accelsim explain mapping`): the explained loop nest, executed, visits every point of the
layer's iteration space exactly once."""

import itertools
import re

import numpy as np
import pytest

import accelsim
from accelsim.cli import main
from accelsim.errors import UsageError
from accelsim.mapping import notation
from accelsim.mapping.dims import DIMS


def _run_nest(text: str) -> list[tuple]:
    """Execute the explained nest (parallel_for run as for) and collect the full indices of each MAC."""
    lines = notation.explain(text).splitlines()
    body = [ln.replace("parallel_for", "for") for ln in lines if not ln.lstrip().startswith("#")]
    stmt = body[-1]
    indent = stmt[: len(stmt) - len(stmt.lstrip())]
    exprs = {m.group(1): m.group(2).strip() for m in
             (re.match(r"#\s+([a-z]) = (.+?)\s{2,}\(", ln) for ln in lines) if m}
    assert set(exprs) == {d.lower() for d in DIMS}
    point = "(" + ", ".join(f"({exprs[d.lower()]})" for d in DIMS) + ",)"
    code = "\n".join([*(ln.split("#")[0].rstrip() for ln in body[:-1]), f"{indent}hits.append({point})"])
    hits: list = []
    exec(code, {"hits": hits})  # noqa: S102 - our own generated text
    return hits


@pytest.mark.parametrize("text", [
    "dram[F2 M3] glb[C2 E3] rows[R3] cols[E2 M2] rf[S3 M2]",  # AlexNet conv1's shape of mapping, small
    "dram[M2] glb[E3] rows[R3 C2] cols[E2 M2] rf[S3 C2]",
    "dram[] glb[] rows[] cols[] rf[]",
])
def test_the_explained_nest_visits_every_point_once(text):
    f = notation.factors(text)
    bounds = np.prod(f, axis=0)
    hits = _run_nest(text)
    assert len(hits) == len(set(hits)) == int(np.prod(bounds))
    assert set(hits) == set(itertools.product(*(range(int(b)) for b in bounds)))


def test_explain_names_the_levels_and_the_spatial_loops():
    text = notation.explain("dram[F5 M3] glb[C3 E11 F11] rows[R11] cols[E5 M2] rf[S11 M16]")
    assert "for f1 in range(5):" in text and "parallel_for r in range(11):" in text
    assert "parallel_for e0 in range(5):" in text and "parallel_for m1 in range(2):" in text
    assert "for m0 in range(16):" in text and text.count("parallel_for") == 3
    assert "m = (m2*2 + m1)*16 + m0" in text and "e = e1*5 + e0" in text


def test_factors_of_a_results_mapping_string_are_its_factors():
    r = accelsim.simulate("lenet5", "eyeriss_v1")
    for layer in r.layers:
        assert (notation.factors(layer.mapping.loop_text()) == np.array(layer.mapping.factors)).all()


@pytest.mark.parametrize("text, words", [
    ("dram[F5 X3]", "'X3' in dram"),
    ("rows[R3] dram[M2]", "outermost first"),
    ("dram[M2 M3]", "M appears twice"),
    ("disk[M2]", "unknown level 'disk'"),
    ("dram[M0]", "'M0'"),
    ("M16", "expected LEVEL"),
    ("", "empty mapping"),
])
def test_bad_mapping_strings_are_one_line_usage_errors(text, words):
    with pytest.raises(UsageError) as info:
        notation.parse(text)
    assert words in str(info.value) and "\n" not in str(info.value)


def test_cli_explain_a_string_and_a_run_layer(capsys):
    assert main(["explain", "mapping", "dram[M2] glb[] rows[R3] cols[E4] rf[S3]"]) == 0
    out = capsys.readouterr().out
    assert "parallel_for r in range(3):" in out and "for s in range(3):" in out
    assert main(["explain", "mapping", "lenet5", "--layer", "c1", "--hw", "eyeriss_v1"]) == 0
    out = capsys.readouterr().out
    expect = accelsim.simulate(accelsim.load_network("lenet5")["c1"], "eyeriss_v1").mapping.loop_text()
    assert out.startswith("# lenet5 c1 on eyeriss_v1, rs") and f"# {expect}\n" in out
    for argv, words in [(["explain", "mapping", "lenet5"], "--layer"),
                        (["explain", "mapping", "lenet5", "--layer", "c9"], "no layer 'c9'"),
                        (["explain", "mapping", "dram[Q2]"], "'Q2'")]:
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert words in err and err.count("\n") == 1
