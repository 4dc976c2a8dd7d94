"""The hardware points of a sweep: axes from ``hw.vary`` (a zip group is one axis), their grid
(product, in ``hw.vary`` order, the last axis fastest), or a seeded random sample of that grid.

    >>> axes_of(spec.hw)   # vary {a: [1, 2], b: [3, 4], c: [5, 6, 7]}, zip [[a, b]]
    [Axis(paths=('a', 'b'), values=[(1, 3), (2, 4)]), Axis(paths=('c',), values=[(5,), (6,), (7,)])]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from accelsim.dse.spec import HwSweep


@dataclass(frozen=True)
class Axis:
    paths: tuple[str, ...]
    values: list[tuple]


def axes_of(hw: HwSweep) -> list[Axis]:
    """One axis per zip group (at the position of its first parameter) and per other parameter."""
    group_of = {p: tuple(g) for g in hw.zip for p in g}
    axes, done = [], set()
    for path in hw.vary:
        group = group_of.get(path, (path,))
        if group in done:
            continue
        done.add(group)
        columns = [hw.values(p) for p in group]
        axes.append(Axis(group, [tuple(row) for row in zip(*columns, strict=True)]))
    return axes


def grid_size(axes: list[Axis]) -> int:
    return math.prod(len(a.values) for a in axes)


def point_at(axes: list[Axis], index: int) -> dict:
    """The ``index``-th grid point (mixed radix, the last axis fastest) as {path: value}."""
    picks = []
    for axis in reversed(axes):
        index, i = divmod(index, len(axis.values))
        picks.append((axis, i))
    out: dict = {}
    for axis, i in reversed(picks):
        out.update(zip(axis.paths, axis.values[i], strict=True))
    return out


def grid(axes: list[Axis]) -> list[dict]:
    return [point_at(axes, i) for i in range(grid_size(axes))]


def random_indices(total: int, samples: int, seed: int) -> list[int]:
    """``min(samples, total)`` distinct grid indices drawn uniformly with numpy's PCG64 from
    ``seed``, returned in grid order (so the table reads like a thinned grid)."""
    if samples >= total:
        return list(range(total))
    rng = np.random.default_rng(seed)
    if total <= 4 * samples or total < 1_000_000:
        return sorted(int(i) for i in rng.choice(total, size=samples, replace=False))
    chosen: set[int] = set()
    while len(chosen) < samples:
        chosen.update(int(i) for i in rng.integers(0, total, size=samples - len(chosen)))
    return sorted(chosen)
