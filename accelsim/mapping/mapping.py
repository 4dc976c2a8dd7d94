"""A Mapping: per-dimension factors at each mapping level plus the GLB and DRAM loop orders."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from accelsim.mapping.dims import COLS, DIMS, DRAM, GLB, LEVELS, RF, ROWS


@dataclass(frozen=True)
class Mapping:
    """``factors[level][dim]`` with levels (rf, rows, cols, glb, dram) and dims N M C E F R S G;
    ``glb_order`` / ``dram_order`` list the dims innermost first; ``hold[0|1][t]``: the RF / GLB
    keep datatype t (weights, ifmap, psum)."""

    factors: tuple[tuple[int, ...], ...]
    glb_order: tuple[int, ...]
    dram_order: tuple[int, ...]
    hold: tuple[tuple[bool, bool, bool], tuple[bool, bool, bool]]
    multicast: tuple[bool, bool, bool]

    @property
    def f(self) -> np.ndarray:
        return np.array(self.factors, dtype=np.int64)

    @property
    def orders(self) -> np.ndarray:
        return np.array([self.glb_order, self.dram_order], dtype=np.int64)

    @property
    def active_pes(self) -> int:
        """The PEs the spatial factors span. With strip-mining a dimension of a single array tile
        may span more positions than it has (LayerResult.active_pes, from the counts, is the peak
        number of PEs working; macs / steps the mean)."""
        f = self.f
        return int(np.prod(f[ROWS]) * np.prod(f[COLS]))

    def level_factors(self, level: str) -> dict[str, int]:
        """Factors > 1 at one level, e.g. {'M': 4, 'C': 2}."""
        row = self.factors[LEVELS.index(level)]
        return {DIMS[d]: int(v) for d, v in enumerate(row) if v > 1}

    def loop_text(self) -> str:
        """The loop nest, outermost first, e.g.
        ``dram[M4 C2] glb[F55 M2] rows[R11 C1] cols[E14] rf[S11 C3]``."""
        f = self.factors

        def fmt(level: int, order) -> str:
            loops = [f"{DIMS[d]}{f[level][d]}" for d in reversed(order) if f[level][d] > 1]
            return f"{LEVELS[level]}[{' '.join(loops)}]"

        canon = tuple(range(len(DIMS)))
        parts = [fmt(DRAM, self.dram_order), fmt(GLB, self.glb_order), fmt(ROWS, canon), fmt(COLS, canon),
                 fmt(RF, canon)]
        return " ".join(parts)

    def to_dict(self) -> dict:
        return {"factors": {lvl: self.level_factors(lvl) for lvl in LEVELS},
                "glb_order": [DIMS[d] for d in self.glb_order],
                "dram_order": [DIMS[d] for d in self.dram_order],
                "text": self.loop_text()}
