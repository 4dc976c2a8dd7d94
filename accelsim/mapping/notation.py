"""The mapping notation of reports, read back: ``dram[F5 M3] glb[C3 E11 F11] rows[R11] cols[E5 M2]
rf[S11 M16]`` (``Mapping.loop_text()``) -> the factors of each level, and the same string read
aloud as a loop nest (``accelsim explain mapping``).

The string lists the levels outermost first: DRAM, GLB, the PE rows, the PE columns, the RF. In
the temporal levels (``dram``, ``glb``) the loops are listed outermost first in their loop order;
the spatial levels (``rows``, ``cols``) and the RF have no order that changes any count. A
dimension's full index composes its loops in the string's order: in the example
``m = (m3*2 + m1)*16 + m0`` (DRAM digit, PE-column digit, RF digit).
"""

from __future__ import annotations

import re

import numpy as np

from accelsim.errors import UsageError
from accelsim.mapping.dims import DIMS, LEVELS

TEXT_ORDER = ("dram", "glb", "rows", "cols", "rf")  # outermost first, as loop_text prints them
SPATIAL = ("rows", "cols")
MEANING = {"N": "batch (image)", "M": "filter (ofmap channel)", "C": "ifmap channel", "E": "ofmap row",
           "F": "ofmap column", "R": "filter row", "S": "filter column", "G": "group"}
WHERE = {"dram": "DRAM: temporal, outermost", "glb": "GLB: temporal, tiles moved between GLB and array",
         "rows": "PE rows: spatial", "cols": "PE columns: spatial", "rf": "RF: temporal, inside each PE"}

_LEVEL = re.compile(r"\s*([a-z]+)\[([^\]]*)\]")
_LOOP = re.compile(r"([A-Za-z])(\d+)$")


def parse(text: str) -> list[tuple[str, list[tuple[str, int]]]]:
    """``[(level, [(dim, factor), ...]), ...]`` in the string's order (outermost first); a
    UsageError naming the problem for anything that is not the notation. Missing levels are
    empty; every level appears at most once and in the order dram glb rows cols rf."""
    text = str(text).strip()
    found: dict[str, list[tuple[str, int]]] = {}
    pos = 0
    while pos < len(text):
        m = _LEVEL.match(text, pos)
        if not m:
            raise UsageError(f"cannot read mapping {text!r} at {text[pos:].strip()!r}: expected LEVEL[D4 ...] "
                             f"with LEVEL one of {' '.join(TEXT_ORDER)}")
        level, body = m.group(1), m.group(2)
        if level not in TEXT_ORDER:
            raise UsageError(f"cannot read mapping {text!r}: unknown level {level!r}; expected {' '.join(TEXT_ORDER)}")
        if level in found:
            raise UsageError(f"cannot read mapping {text!r}: level {level} appears twice")
        if found and TEXT_ORDER.index(level) < TEXT_ORDER.index(list(found)[-1]):
            raise UsageError(f"cannot read mapping {text!r}: levels go outermost first ({' '.join(TEXT_ORDER)})")
        loops = []
        for token in body.split():
            lm = _LOOP.match(token)
            if not lm or lm.group(1).upper() not in DIMS or int(lm.group(2)) < 1:
                raise UsageError(f"cannot read mapping {text!r}: {token!r} in {level}[...] is not a loop such as "
                                 f"M16 (a dimension of {' '.join(DIMS)} and a factor >= 1)")
            dim = lm.group(1).upper()
            if any(d == dim for d, _ in loops):
                raise UsageError(f"cannot read mapping {text!r}: {dim} appears twice in {level}[...]")
            loops.append((dim, int(lm.group(2))))
        found[level] = loops
        pos = m.end()
    if not found:
        raise UsageError("cannot read an empty mapping; expected e.g. 'dram[M4] glb[F55] rows[R11] cols[E5] rf[S11]'")
    return [(level, found.get(level, [])) for level in TEXT_ORDER]


def factors(text: str) -> np.ndarray:
    """int64 [5, 8]: the factor of each dimension (N M C E F R S G) at each mapping level in
    ``dims.LEVELS`` order (rf, rows, cols, glb, dram), 1 where the string has no loop."""
    f = np.ones((len(LEVELS), len(DIMS)), dtype=np.int64)
    for level, loops in parse(text):
        for dim, n in loops:
            f[LEVELS.index(level), DIMS.index(dim)] = n
    return f


def explain(text: str) -> str:
    """The mapping read aloud as a Python-like loop nest, outermost first: ``for`` lines for the
    temporal levels, ``parallel_for`` for the spatial ones, then the MAC and each dimension's full
    index. Each loop variable is the dimension's letter (lower case) with a digit per level it
    appears at, 0 innermost."""
    levels = parse(text)
    where = {d: [lvl for lvl, loops in levels for dd, _ in loops if dd == d] for d in DIMS}
    name = {}
    for d, lvls in where.items():
        for k, lvl in enumerate(lvls):
            name[(lvl, d)] = f"{d.lower()}{len(lvls) - 1 - k}" if len(lvls) > 1 else d.lower()
    lines = [f"# {text.strip()}", "# levels outermost first; a digit in a variable numbers the levels of one "
             "dimension, 0 innermost"]
    depth, nest = 0, []
    for level, loops in levels:
        nest.append(("    " * depth + f"# {WHERE[level]}" + ("" if loops else " (no loop: every factor is 1)"), ""))
        for d, n in loops:
            kw = "parallel_for" if level in SPATIAL else "for"
            nest.append(("    " * depth + f"{kw} {name[(level, d)]} in range({n}):", f"# {MEANING[d]}"))
            depth += 1
    width = max(len(code) for code, note in nest if note) + 2 if depth else 0
    lines += [(code.ljust(width) + note) if note else code for code, note in nest]
    pad = "    " * depth
    lines.append(pad + "psum[g][n][m][e][f] += weights[g][m][c][r][s] * ifmap[g][n][c][e*U + r*D][f*U + s*D]")
    lines.append("# full indices (the loops of a dimension, outermost digit first):")
    for d in DIMS:
        lvls = where[d]
        if not lvls:
            lines.append(f"#   {d.lower()} = 0".ljust(40) + f"({MEANING[d]}: no loop)")
            continue
        sizes = {lvl: n for lvl, loops in levels for dd, n in loops if dd == d}
        expr = name[(lvls[0], d)]
        for lvl in lvls[1:]:
            expr = f"{'(' + expr + ')' if '+' in expr else expr}*{sizes[lvl]} + {name[(lvl, d)]}"
        bound = int(np.prod([sizes[lvl] for lvl in lvls]))
        lines.append(f"#   {d.lower()} = {expr}".ljust(40) + f"({MEANING[d]}: {bound} values)")
    return "\n".join(lines) + "\n"
