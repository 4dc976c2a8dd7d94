"""feasibility.capacity_reason with strip-mined splits: the GLB tile is clipped to the loop bounds,
as the search clips it (kernels._glb_fits), so a spatial span wider than its dimension never makes
the pre-search check refuse a layer the search can map."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from fakehw import hardware  # noqa: E402

from accelsim.mapping.dataflows import DATAFLOWS  # noqa: E402
from accelsim.mapping.feasibility import capacity_reason  # noqa: E402
from accelsim.mapping.mapspace import hardware_arrays  # noqa: E402


def test_glb_tile_is_clipped_to_the_bounds():
    """M = 96 spread as rows 7 x cols 14 (98 positions, one pass): the psum GLB tile of a 1x1 layer
    with E = F = 1 is 96 words, not 98; a 97-word GLB fits it (by hand), and without the bounds
    the unclipped 98 would not."""
    hwa = hardware_arrays(hardware(rows=7, cols=14, rf=(48, 24, 16), glb_shared=97), DATAFLOWS["free"])
    bounds = np.array([1, 96, 1, 1, 1, 1, 1, 1], dtype=np.int64)
    lo = np.ones((5, 8), dtype=np.int64)
    lo[1, 1], lo[2, 1] = 7, 14  # rows[M7] cols[M14]
    sd = np.array([1, 1, 1, 1], dtype=np.int64)
    hwa.hold[1] = [False, False, True]  # the GLB holds psums only
    assert capacity_reason("x", "free", lo, sd, hwa, bounds) is None
    assert "holds 97 words" in capacity_reason("x", "free", lo, sd, hwa)
