"""Which PE computes what: a mapping's spatial factors decoded onto the PE array.

A mapping unrolls some dimensions across the PE rows (``rows[...]``) and columns (``cols[...]``).
PE row ``i`` takes one index digit of each row dimension, PE column ``j`` one of each column
dimension, as mixed-radix digits in the placement order ``N G M C E F R S`` (first = outermost,
slowest varying). The placement on the array changes no count of the model (the spatial loops
are parallel); this order keeps each *PE set* (Eyeriss, ISCA 2016, Sec. V-B: the PEs that
together run one 2-D convolution, i.e. share one (n, g, m, c)) a contiguous block, as the paper
draws them: for row stationary ``rows[R3 C4] cols[E13]`` is four 3 x 13 PE sets, one per
channel, stacked.

PEs beyond the product of the row (column) factors are idle in every pass. When a spatial factor
does not divide its loop bound ("imperfect factorization", strip-mining), the last pass over that
dimension is partial: ``last_pass=True`` with the loop ``bounds`` marks the PEs whose first index in
that pass lies beyond the bound as idle as well. With ``bounds`` alone the grid is the first (peak)
pass: a dimension of a single pass whose spatial factor exceeds what the RF leaves (os-c's
``rows[M7] cols[M14]`` for M = 96: 98 positions) idles the positions beyond it in every pass, as
the model and the executor count them (``LayerResult.active_pes`` is this peak). A dimension's
full index composes its loops outermost first (dram, glb, rows, cols, rf; see
accelsim/mapping/notation.py), so in the last pass the PE
with spatial digit ``p`` (rows digit x cols factor + cols digit) starts at
``(ceil(bound / (spatial x rf)) - 1) x spatial x rf + p x rf``.
"""

from __future__ import annotations

import numpy as np

from accelsim.mapping import notation
from accelsim.mapping.dims import COLS, DIMS, RF, ROWS

PLACEMENT = ("N", "G", "M", "C", "E", "F", "R", "S")  # outermost first on each array axis
SET_DIMS = ("N", "G", "M", "C")  # the 2-D convolution a PE works on: its PE set
IDLE = -1


def factor_array(mapping) -> np.ndarray:
    """int64 [5, 8] factors (levels rf, rows, cols, glb, dram x dims N M C E F R S G) of a Mapping,
    a mapping string (``loop_text``) or such an array."""
    if isinstance(mapping, str):
        return notation.factors(mapping)
    if hasattr(mapping, "factors"):
        return np.array(mapping.factors, dtype=np.int64)
    f = np.asarray(mapping, dtype=np.int64)
    if f.shape != (5, len(DIMS)):
        raise ValueError(f"expected factors of shape (5, {len(DIMS)}), got {f.shape}")
    return f


def _digits(n, radices: list[tuple[int, int]]) -> dict:
    """Mixed-radix digits of ``n`` (an int or an int array; radices outermost first, as (dim,
    radix)); the last is fastest."""
    out = {}
    for d, radix in reversed(radices):
        out[d] = n % radix
        n //= radix
    return out


def pe_indices(mapping, pe_rows: int, pe_cols: int, bounds=None, last_pass: bool = False) -> np.ndarray:
    """int64 [pe_rows, pe_cols, 8]: at each PE, the spatial digit of each dimension (N M C E F R S
    G): the row digit x the column factor + the column digit, 0 for a dimension not unrolled;
    ``IDLE`` (-1) in every dimension at an idle PE. A PE with digit ``p`` of dimension ``d``
    covers indices ``p x rf[d] ... p x rf[d] + rf[d] - 1`` of the spatial slice of the pass.

    ``bounds`` (int[8], the loop bounds): the first (peak) pass, PEs whose digit is at or beyond
    bound / rf idle; with ``last_pass``: the last pass of an imperfectly factorized dimension,
    where PEs beyond the bound idle."""
    f = factor_array(mapping)
    used_rows, used_cols = int(np.prod(f[ROWS])), int(np.prod(f[COLS]))
    if used_rows > pe_rows or used_cols > pe_cols:
        raise ValueError(f"the mapping uses {used_rows} x {used_cols} PEs; the array has {pe_rows} x {pe_cols}")
    order = [DIMS.index(d) for d in PLACEMENT]
    row_radices = [(d, int(f[ROWS, d])) for d in order if f[ROWS, d] > 1]
    col_radices = [(d, int(f[COLS, d])) for d in order if f[COLS, d] > 1]
    out = np.full((pe_rows, pe_cols, len(DIMS)), IDLE, dtype=np.int64)
    limit = None
    if last_pass:
        if bounds is None:
            raise ValueError("last_pass needs the loop bounds")
        b = np.asarray(bounds, dtype=np.int64)
        spatial = f[ROWS] * f[COLS]
        chunk = spatial * f[RF]
        outer_last = -(-b // chunk) - 1  # index of the last pass over the spatial slice
        limit = (b - outer_last * chunk + f[RF] - 1) // f[RF]  # digits p with p x rf < what is left
    elif bounds is not None:
        limit = -(-np.asarray(bounds, dtype=np.int64) // f[RF])  # the first pass: positions that exist
    rd = _digits(np.arange(used_rows)[:, None], row_radices)  # digit arrays, (rows, 1) and (1, cols)
    cd = _digits(np.arange(used_cols)[None, :], col_radices)
    p = np.zeros((used_rows, used_cols, len(DIMS)), dtype=np.int64)
    for d in range(len(DIMS)):
        p[..., d] = rd.get(d, 0) * f[COLS, d] + cd.get(d, 0)
    keep = np.ones((used_rows, used_cols), dtype=bool) if limit is None else (p < limit).all(axis=-1)
    block = out[:used_rows, :used_cols]
    block[keep] = p[keep]
    return out


def active(indices: np.ndarray) -> np.ndarray:
    """bool [rows, cols]: the PEs that compute (not idle)."""
    return indices[..., 0] != IDLE


def pe_sets(indices: np.ndarray, mapping) -> np.ndarray:
    """int64 [rows, cols]: each PE's set number (its N G M C digits as one mixed-radix number, in
    placement order), IDLE at idle PEs."""
    f = factor_array(mapping)
    sp = f[ROWS] * f[COLS]
    out = np.zeros(indices.shape[:2], dtype=np.int64)
    for name in SET_DIMS:
        d = DIMS.index(name)
        out = out * sp[d] + indices[..., d]
    out[~active(indices)] = IDLE
    return out


def pe_labels(indices: np.ndarray, mapping, dims=None) -> np.ndarray:
    """object [rows, cols] of str: each PE's spatial digits of ``dims`` (default: the unrolled
    dimensions), e.g. ``'R3 E2'`` (lower digits are 0-based); '' at an idle PE."""
    f = factor_array(mapping)
    sp = f[ROWS] * f[COLS]
    if dims is None:
        dims = [d for d in PLACEMENT if sp[DIMS.index(d)] > 1]
    out = np.full(indices.shape[:2], "", dtype=object)
    on = active(indices)
    for i, j in zip(*np.nonzero(on), strict=True):
        out[i, j] = " ".join(f"{d}{indices[i, j, DIMS.index(d)]}" for d in dims)
    return out


def set_names(indices: np.ndarray, mapping) -> dict[int, str]:
    """Set number -> its N G M C digits as text ('M1 C0'; 'all' when no set dimension is unrolled),
    for the sets present, in number order."""
    f = factor_array(mapping)
    sp = f[ROWS] * f[COLS]
    dims = [d for d in SET_DIMS if sp[DIMS.index(d)] > 1]
    sets = pe_sets(indices, mapping)
    on = sets != IDLE
    numbers, first = np.unique(sets[on], return_index=True)
    digits = indices[on][first]
    return {int(s): " ".join(f"{d}{v[DIMS.index(d)]}" for d in dims) or "all"
            for s, v in zip(numbers, digits, strict=True)}
