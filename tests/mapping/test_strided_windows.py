"""Strided windows, by hand (issue 15, item 5): an ifmap tile holds the rows and columns its MACs
read, not the bounding box of its windows (docs/model.md, "Strided windows").

Hand cases: a 1x1 stride-2 conv on a 7x7 input with 2 channels reads rows/cols 0, 2, 4, 6, i.e.
16 words per channel and 32 in all, not the 98 of the input; a 3x3 stride-4 conv on 11x11 reads
rows 0-2, 4-6, 8-10, i.e. 81 of 121 words per channel; ResNet's 1x1 stride-2 layers read
C * E * F words, a quarter of their input. The pruning bounds stay below the true cost on strided
layers, and the search still finds the brute-force optimum on them."""

import sys
from pathlib import Path

import numpy as np
import pytest
from fakehw import hardware
from test_lower_bound import (
    assert_box_bound_below_completions,
    assert_lower_bound_below_cost,
    assert_partial_lower_bound_below_cost,
)
from test_search_brute_force import check_against_brute_force

sys.path.insert(0, str(Path(__file__).parents[1] / "sim"))
from randmap import random_mapping, random_strided_layer, random_strip_mapping, skips_rows  # noqa: E402

import accelsim  # noqa: E402
from accelsim.mapping import feasibility  # noqa: E402
from accelsim.mapping.counts import (  # noqa: E402
    compulsory_words,
    shift_words,
    slide_rows,
    tile_words,
    union_extent,
    window,
    window_span,
)
from accelsim.mapping.dataflows import DATAFLOWS  # noqa: E402
from accelsim.mapping.dims import nest_bounds  # noqa: E402
from accelsim.mapping.mapper import _sd, evaluate  # noqa: E402
from accelsim.mapping.mapping import Mapping  # noqa: E402
from accelsim.sim.executor import Executor, direct_conv  # noqa: E402
from accelsim.workload import Layer  # noqa: E402

W, I, O = 0, 1, 2
DRAM, GLB, NOC, RF = 0, 1, 2, 3
CANON = tuple(range(8))
HOLD = ((True, True, True), (True, True, True))
DS = Layer(name="ds", M=1, C=2, H=7, W=7, R=1, S=1, stride=2)  # 1x1 stride 2 on 7x7: 4x4 output


def rows_read(e, r, u, d, e0=0, r0=0):
    """The ifmap rows output rows e0.. e0+e-1 and filter rows r0.. r0+r-1 read, as a set."""
    return {(e0 + i) * u + (r0 + j) * d for i in range(e) for j in range(r)}


def test_window_span_and_slides_equal_the_sets_of_rows_read():
    for e in range(1, 10):
        for r in range(1, 8):
            for u in range(1, 7):
                for d in range(1, 5):
                    rows = rows_read(e, r, u, d)
                    assert window(e, r, u, d) == len(rows), (e, r, u, d)
                    assert window_span(e, r, u, d) == max(rows) + 1
                    assert slide_rows(e, r, u, d, 0) == len(rows_read(e, r, u, d, e0=e) - rows)
                    assert slide_rows(e, r, u, d, 1) == len(rows_read(e, r, u, d, r0=r) - rows)


def test_the_pre_search_feasibility_check_sizes_tiles_as_the_model_does():
    """``feasibility`` restates ``tile_words`` in Python (no compilation before the search): on
    strided and dilated tiles both give the words read."""
    rng = np.random.default_rng(7)
    for _ in range(300):
        ext = rng.integers(1, 7, 8).astype(np.int64)
        sd = np.array([rng.integers(1, 6), rng.integers(1, 6), rng.integers(1, 4), rng.integers(1, 4)], dtype=np.int64)
        assert feasibility._tiles(ext, sd) == [int(tile_words(t, ext, sd)) for t in range(3)]


def test_hand_counts_of_rows_read():
    # 1x1 stride 2, 4 output rows: rows 0, 2, 4, 6
    assert window(4, 1, 2, 1) == 4 and window_span(4, 1, 2, 1) == 7
    # 3x3 stride 4, 3 output rows: rows 0-2, 4-6, 8-10 (9 of 11)
    assert window(3, 3, 4, 1) == 9 and window_span(3, 3, 4, 1) == 11
    # ... a 2-row tile (rows 0-2, 4-6) advancing by 2 outputs reads rows 8-10, 12-14: 6 new, all
    assert slide_rows(2, 3, 4, 1, 0) == 6
    # overlapping windows are unchanged: 3x3 stride 1 (AlexNet conv3) and 11x11 stride 4 (conv1)
    assert window(13, 3, 1, 1) == 15 and slide_rows(13, 3, 1, 1, 0) == 13
    assert window(55, 11, 4, 1) == 227 and slide_rows(5, 11, 4, 1, 0) == 20
    # dilation 2, 3 taps, one output row: rows 0, 2, 4; the next output row reads 1, 3, 5
    assert window(1, 3, 1, 2) == 3 and slide_rows(1, 3, 1, 2, 0) == 3 and window(2, 3, 1, 2) == 6
    # two PEs each covering 2 outputs of a 1x1 stride-2 row read rows 0, 2 and 4, 6
    assert union_extent(2, 1, 2, 1, 2, 1) == 4
    # what compaction costs (docs/model.md): AlexNet conv1's 5-output, 1-filter-row tile reads rows
    # 0, 4, .., 16; the next filter row reads 1, 5, .., 17: 5 new rows (a 17-row whole window: 1)
    assert window(5, 1, 4, 1) == 5 and window_span(5, 1, 4, 1) == 17 and slide_rows(5, 1, 4, 1, 1) == 5


def test_one_by_one_stride_two_on_7x7_reads_16_words_per_channel():
    nest = DS.nest
    assert (nest.C, nest.E, nest.F, nest.ifmap_h) == (2, 4, 4, 7)
    tensors = np.zeros(3, dtype=np.int64)
    compulsory_words(nest_bounds(nest), _sd(nest), tensors)
    assert tensors.tolist() == [2, 32, 16]
    # the whole layer in the GLB (C, E, F there; one MAC per PE step): the ifmap tile is the 32
    # words read, loaded once; every MAC then reads its word through the NoC into the RF
    f = [[1] * 8 for _ in range(5)]
    f[3][2], f[3][3], f[3][4] = 2, 4, 4
    m = Mapping(factors=tuple(map(tuple, f)), glb_order=CANON, dram_order=CANON, hold=HOLD, multicast=(True,) * 3)
    hw = hardware(rows=1, cols=1, rf=(1, 1, 1), glb_shared=50)  # 2 weights + 32 ifmap + 16 psums
    counts, *_ = evaluate(nest, hw, m, DATAFLOWS["free"])
    assert counts[DRAM, I].tolist() == [32, 0] and counts[GLB, I].tolist() == [32, 32]
    assert counts[RF, I].tolist() == [32, 32]
    # the executor fetches exactly those 32 words: rows and cols 0, 2, 4, 6 of both channels
    fetched = set()

    def on_event(kind, *data):
        if kind == "dram_read" and data[0] == I:
            fetched.update(data[1])

    rng = np.random.default_rng(0)
    weights, ifmap = rng.normal(size=(1, 1, 2, 1, 1)), rng.normal(size=(1, 1, 2, 7, 7))
    counts_sim, ofmap = Executor(nest_bounds(nest), _sd(nest), np.array(f), np.array([CANON, CANON]),
                                 np.array(HOLD), [True] * 3, glb_capacity=[2, 32, 16], on_event=on_event).run(
        weights, ifmap)
    assert np.array_equal(counts_sim, counts)
    assert np.allclose(ofmap, direct_conv(weights, ifmap, nest_bounds(nest), _sd(nest)))
    assert fetched == {(0, 0, c, h, w) for c in range(2) for h in (0, 2, 4, 6) for w in (0, 2, 4, 6)}


def test_a_strided_tile_fits_where_its_bounding_box_would_not():
    """The GLB of 50 words holds the 32 ifmap words read (+ 2 weights + 16 psums); the 98-word
    input would not fit. The search finds that one DRAM read per word read is possible."""
    hw = hardware(rows=1, cols=1, rf=(1, 1, 1), glb_shared=50)
    res = accelsim.simulate(DS, hw, dataflow="free")
    assert res.counts[DRAM, I, 0] == 32


def test_three_by_three_stride_four():
    layer = Layer(name="s4", M=1, C=1, H=11, W=11, R=3, S=3, stride=4)
    nest = layer.nest
    assert (nest.E, nest.F) == (3, 3)
    bounds, sd = nest_bounds(nest), _sd(nest)
    tensors = np.zeros(3, dtype=np.int64)
    compulsory_words(bounds, sd, tensors)
    assert tensors[1] == 81  # 9 x 9 of the 11 x 11
    ext = bounds.copy()
    assert tile_words(1, ext, sd) == 81
    ext[3] = 2  # a 2-output-row tile: rows 0-2, 4-6 x the 9 cols; sliding along E brings 6 new rows
    assert tile_words(1, ext, sd) == 6 * 9 and shift_words(ext, 3, sd) == 6 * 9
    ext[3], ext[5] = 3, 1  # one filter row: rows 0, 4, 8; sliding along R brings 1, 5, 9
    assert tile_words(1, ext, sd) == 3 * 9 and shift_words(ext, 5, sd) == 3 * 9


# ResNet 1x1 stride-2 layers (C, input size, E = F): each reads every other row and column of
# its input, C * E * F words, a quarter of the C * H * W input.
RESNET_STRIDED = {
    ("resnet18", "layer2.0.downsample.0"): (64, 56, 28, 50_176),
    ("resnet18", "layer3.0.downsample.0"): (128, 28, 14, 25_088),
    ("resnet18", "layer4.0.downsample.0"): (256, 14, 7, 12_544),
    ("resnet50", "layer2.0.conv1"): (256, 56, 28, 200_704),
    ("resnet50", "layer2.0.downsample.0"): (256, 56, 28, 200_704),
    ("resnet50", "layer3.0.conv1"): (512, 28, 14, 100_352),
    ("resnet50", "layer3.0.downsample.0"): (512, 28, 14, 100_352),
    ("resnet50", "layer4.0.conv1"): (1024, 14, 7, 50_176),
    ("resnet50", "layer4.0.downsample.0"): (1024, 14, 7, 50_176),
}


def test_resnet_strided_layers_read_a_quarter_of_their_input():
    seen = set()
    for net_name in ("resnet18", "resnet50"):
        for layer in accelsim.load_network(net_name).mapped_layers:
            n = layer.nest
            if not (n.Uh > (n.R - 1) * n.Dh + 1 or n.Uw > (n.S - 1) * n.Dw + 1):
                continue
            c, h, e, words = RESNET_STRIDED[(net_name, layer.name)]  # every such layer is listed
            seen.add((net_name, layer.name))
            assert (n.C, n.E, n.F, n.R, n.Uh, n.ifmap_h) == (c, e, e, 1, 2, h - 1)
            assert words == c * e * e == c * h * h // 4
            tensors = np.zeros(3, dtype=np.int64)
            compulsory_words(nest_bounds(n), _sd(n), tensors)
            assert tensors[1] == words
            # a GLB tile of one output row and all channels holds c * 1 * e words, not c * 1 * (h - 1)
            ext = nest_bounds(n).copy()
            ext[3] = 1
            assert tile_words(1, ext, _sd(n)) == c * e
    assert seen == set(RESNET_STRIDED)


@pytest.mark.parametrize("name", ["layer2.0.downsample.0", "layer4.0.downsample.0"])
def test_resnet_downsampling_on_eyeriss_reads_each_used_word_once(name):
    """Under RS on Eyeriss v1 the optimum reads each ifmap word the MACs use exactly once from
    DRAM (hand: C * E * F, above), where fetching whole windows read 1,379,840 and 346,112 words
    (measured before the change: the 55x55 (13x13) bounding boxes, several passes)."""
    layer = next(x for x in accelsim.load_network("resnet50").mapped_layers if x.name == name)
    res = accelsim.simulate(layer, accelsim.load_hw("eyeriss_v1"), dataflow="rs")
    assert res.counts[DRAM, I, 0] == RESNET_STRIDED[("resnet50", name)][3]


# ---- the pruning bounds stay valid lower bounds on strided layers ----------------------------------
@pytest.mark.parametrize("seed", range(150))
def test_lower_bound_is_below_the_cost_on_strided_layers(seed):
    rng = np.random.default_rng([seed, 151])
    assert_lower_bound_below_cost(rng, *random_strided_layer(rng))


@pytest.mark.parametrize("seed", range(150))
def test_box_bound_is_below_every_completion_on_strided_layers(seed):
    """Some GLB factors open over divisor intervals (E, F, R, S more often than the others): the box
    bound is below the cheapest loop-order pair of every completion in the box that fits."""
    rng = np.random.default_rng([seed, 152])
    bounds, sd = random_strided_layer(rng)
    f, _, hold, multicast = random_mapping(rng, bounds)
    no_spill = bool(rng.random() < 0.5)
    assert_box_bound_below_completions(rng, bounds, sd, f, hold, multicast, no_spill,
                                       lambda d: 0.8 if d in (3, 4, 5, 6) else 0.3)


@pytest.mark.parametrize("seed", range(150))
def test_partial_tile_bounds_are_below_the_cost_on_strided_layers(seed):
    """Strip-mined mappings (partial array tiles) on strided layers: lower_bound_partial is below
    the cost, and the box bound (GLB factors open, E F R S more often) below every completion."""
    rng = np.random.default_rng([seed, 153])
    bounds, sd = random_strided_layer(rng)
    assert_partial_lower_bound_below_cost(rng, bounds, sd)
    f, _, hold, multicast = random_strip_mapping(rng, bounds)
    assert_box_bound_below_completions(rng, bounds, sd, f, hold, multicast, bool(rng.random() < 0.5),
                                       lambda d: 0.8 if d in (3, 4, 5, 6) else 0.3)


def test_the_bound_tests_draw_mostly_strided_layers():
    drawn = [random_strided_layer(np.random.default_rng([seed, 152])) for seed in range(150)]
    assert sum(bool(skips_rows(b, sd)) for b, sd in drawn) >= 75


# ---- the search's optimum on strided layers equals brute force --------------------------------------
STRIDED = [
    Layer(name="s2_1x1", M=2, C=2, H=7, W=7, R=1, S=1, stride=2),
    Layer(name="s3_2x1", M=2, C=1, H=8, W=7, R=2, S=1, stride=3, padding=1),
    Layer(name="s4_3x3", M=1, C=2, H=11, W=7, R=3, S=3, stride=4),
    Layer(name="s3_d2", M=2, C=1, H=9, W=5, R=2, S=1, stride=3, dilation=2),
]
HW = hardware(rows=3, cols=4, rf=(12, 8, 4), glb_shared=64)


@pytest.mark.parametrize("layer", STRIDED, ids=lambda x: x.name)
@pytest.mark.parametrize("df", ["rs", "ws", "os-a", "nlr", "is", "free"])
def test_search_finds_the_brute_force_optimum_on_strided_layers(layer, df):
    check_against_brute_force(layer, HW, DATAFLOWS[df])


# ---- the box bound's ifmap brackets under strip-mining, by brute force -----------------------------
def _tiles(be, a, q, g):
    """Extents of the GLB tiles along a dimension of bound be: a = RF x spatial extent, q array
    tiles (ceil), GLB factor g: q / g tiles of a * g, the last one clipped to the layer."""
    m = q // g
    full = a * g
    return [full] * (m - 1) + [be - (m - 1) * full]


@pytest.mark.parametrize("seed", range(400))
def test_axis_brackets_hold_for_partial_tiles_by_brute_force(seed):
    """``bounds._axis_brackets`` on random (E, R, stride, dilation) with E strip-mined (spatial
    factor not dividing what the RF leaves) or not: for every GLB factor in the box, the rows the
    full GLB tiles read (sum of ``window`` over the tiles), the rows loaded when every tile slides
    in after a full one along E, and along R, lie inside [lower, upper]."""
    from accelsim.mapping.bounds import BOX_A, BOX_LEN, BOX_Q, _axis_brackets, set_box

    rng = np.random.default_rng([seed, 154])
    be, br = int(rng.integers(1, 25)), int(rng.integers(1, 9))
    u, dl = int(rng.integers(1, 5)), int(rng.choice([1, 2, 3]))
    rf = int(rng.choice([v for v in range(1, be + 1) if be % v == 0]))
    p = int(rng.integers(1, 6))
    q_e = -(-(be // rf) // p)
    a_r = int(rng.choice([v for v in range(1, br + 1) if br % v == 0]))
    q_r = br // a_r
    box = np.ones((BOX_LEN, 8), dtype=np.int64)
    box[BOX_Q, 3], box[BOX_A, 3] = q_e, rf * p
    box[BOX_Q, 5], box[BOX_A, 5] = q_r, a_r
    ranges = []
    for d, q in ((3, q_e), (5, q_r)):
        divs = [v for v in range(1, q + 1) if q % v == 0]
        lo, hi = sorted(rng.choice(len(divs), 2))
        set_box(box, d, divs[lo], divs[hi])
        ranges.append([v for v in divs if divs[lo] <= v <= divs[hi]])
    out = np.zeros((3, 2), dtype=np.int64)
    _axis_brackets(box, 3, 5, u, dl, out, 0, be, br)
    for ge in ranges[0]:
        for gr in ranges[1]:
            es, rs = _tiles(be, rf * p, q_e, ge), _tiles(br, a_r, q_r, gr)
            assert sum(es) == be and min(es) >= 1
            full = sum(int(window(e, r, u, dl)) for e in es for r in rs)
            slide_e = sum(int(window(es[0] + e, r, u, dl) - window(es[0], r, u, dl)) for e in es for r in rs)
            slide_r = sum(int(window(e, 2 * r, u, dl) - window(e, r, u, dl)) for e in es for r in rs)
            for v, x in enumerate((full, slide_e, slide_r)):
                assert out[v, 0] <= x <= out[v, 1], (v, x, out.tolist(), es, rs)


def test_axis_brackets_partial_tile_with_dilation_by_hand():
    """E = 4 on 3 PEs (tiles of 3 and 1 output rows), R = 4 whole, stride 1, dilation 2: the first
    tile reads rows e + 2r, e < 3, r < 4 = {0..8} (9 rows), the last {3, 5, 7, 9} (4 rows): 13, not
    the 16 - 0 an exact split of 4 rows into 2 tiles would give (both tiles' rows overlap less)."""
    from accelsim.mapping.bounds import BOX_A, BOX_LEN, BOX_Q, _axis_brackets, set_box

    assert window(3, 4, 1, 2) == 9 and window(1, 4, 1, 2) == 4
    box = np.ones((BOX_LEN, 8), dtype=np.int64)
    box[BOX_Q, 3], box[BOX_A, 3] = 2, 3  # rf 1 x 3 PEs, ceil(4 / 3) = 2 array tiles
    box[BOX_Q, 5], box[BOX_A, 5] = 2, 2
    set_box(box, 3, 1, 1)  # 2 DRAM tiles along E
    set_box(box, 5, 2, 2)  # R whole in the GLB tile
    out = np.zeros((3, 2), dtype=np.int64)
    _axis_brackets(box, 3, 5, 1, 2, out, 0, 4, 4)
    assert out[0, 0] <= 13 <= out[0, 1], out.tolist()
