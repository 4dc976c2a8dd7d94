"""Random small layers and random legal mappings, shared by the model-vs-executor tests."""

import numpy as np

from accelsim.mapping.dims import COLS, RF, ROWS, E, F, R, S

# The model's one structural rule: an ifmap streamed past the RF (not held there) has no RF loops
# over its sliding dims.
_SLIDING = (E, F, R, S)


def random_split(rng, n, parts=5):
    """Random ordered factorization of n into `parts` factors."""
    out = [1] * parts
    m = n
    p = 2
    primes = []
    while p * p <= m:
        while m % p == 0:
            primes.append(p)
            m //= p
        p += 1
    if m > 1:
        primes.append(m)
    for q in primes:
        out[rng.integers(parts)] *= q
    return out


def random_layer(rng, max_macs=1500):
    while True:
        G = int(rng.choice([1, 1, 1, 2, 3]))
        N = int(rng.choice([1, 1, 2]))
        M = int(rng.integers(1, 5))
        C = int(rng.integers(1, 5))
        R = int(rng.integers(1, 4))
        S = int(rng.integers(1, 4))
        E = int(rng.integers(1, 6))
        F = int(rng.integers(1, 6))
        Uh, Uw = int(rng.integers(1, 3)), int(rng.integers(1, 3))
        Dh, Dw = int(rng.choice([1, 1, 2])), int(rng.choice([1, 1, 2]))
        bounds = np.array([N, M, C, E, F, R, S, G], dtype=np.int64)
        if np.prod(bounds) <= max_macs:
            return bounds, np.array([Uh, Uw, Dh, Dw], dtype=np.int64)


def random_mapping(rng, bounds):
    f = np.ones((5, 8), dtype=np.int64)
    for d in range(8):
        f[:, d] = random_split(rng, int(bounds[d]))
    hold = rng.random((2, 3)) < 0.7
    if not hold[0, 1]:
        for d in _SLIDING:  # push RF factors of sliding dims out to the GLB level
            f[3, d] *= f[RF, d]
            f[RF, d] = 1
    orders = np.array([rng.permutation(8), rng.permutation(8)], dtype=np.int64)
    multicast = rng.random(3) < 0.7
    return f, orders, hold, multicast


def pes(f):
    return int(np.prod(f[ROWS]) * np.prod(f[COLS]))


def random_strided_layer(rng, max_macs=600):
    """A random small layer whose strides are drawn up to 4 so that on about half of the axes the
    stride exceeds the window (U > (R-1)*D + 1: rows between windows are never read), mixed with
    overlapping windows (U <= R) and some dilation."""
    while True:
        G = int(rng.choice([1, 1, 2]))
        N = int(rng.choice([1, 1, 2]))
        M = int(rng.integers(1, 4))
        C = int(rng.integers(1, 4))
        R = int(rng.choice([1, 1, 2, 3]))
        S = int(rng.choice([1, 1, 2, 3]))
        E = int(rng.integers(1, 6))
        F = int(rng.integers(1, 6))
        Uh, Uw = int(rng.integers(1, 5)), int(rng.integers(1, 5))
        Dh, Dw = int(rng.choice([1, 1, 1, 2])), int(rng.choice([1, 1, 1, 2]))
        bounds = np.array([N, M, C, E, F, R, S, G], dtype=np.int64)
        if np.prod(bounds) <= max_macs:
            return bounds, np.array([Uh, Uw, Dh, Dw], dtype=np.int64)


def skips_rows(bounds, sd):
    """Some axis' stride exceeds its window: U > (R-1)*D + 1 (rows or cols), with > 1 output."""
    return ((sd[0] > (bounds[R] - 1) * sd[2] + 1 and bounds[E] > 1)
            or (sd[1] > (bounds[S] - 1) * sd[3] + 1 and bounds[F] > 1))


# Dimensions that may be strip-mined over the PE array (partial array tiles): those indexing the
# psums; C R S (merged by spatial reduction) always split exactly.
STRIP = (0, 1, 3, 4, 7)  # N M E F G


def random_strip_split(rng, n, rows_max=3, cols_max=3):
    """(rf, rows, cols, glb, dram) for bound n with rows x cols not necessarily dividing n / rf:
    glb x dram = ceil((n / rf) / (rows x cols))."""
    rf = int(rng.choice([v for v in range(1, n + 1) if n % v == 0]))
    q = n // rf
    y = int(rng.integers(1, rows_max + 1))
    x = int(rng.integers(1, cols_max + 1))
    t = -(-q // (y * x))
    glb = int(rng.choice([v for v in range(1, t + 1) if t % v == 0]))
    return [rf, y, x, glb, t // glb]


def random_strip_mapping(rng, bounds):
    """A random mapping in which some of N M E F G are strip-mined (at least one partial tile when
    the layer allows it)."""
    f, orders, hold, multicast = random_mapping(rng, bounds)
    for d in STRIP:
        if bounds[d] > 1 and rng.random() < 0.6:
            f[:, d] = random_strip_split(rng, int(bounds[d]))
    if not hold[0, 1]:
        for d in _SLIDING:  # as random_mapping: a streamed ifmap keeps E F R S out of the RF (to the GLB)
            f[RF, d] = 1
            f[3, d] = -(-int(bounds[d]) // int(f[ROWS, d] * f[COLS, d]))
            f[4, d] = 1
    return f, orders, hold, multicast
