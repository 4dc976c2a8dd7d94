"""The search derives each loop-order representative's features from its structure
(``order_structure``: the one non-empty run and the first indexing loops); they must equal what walking the
permutation gives (``level_features``), and its deduplication must keep exactly the first
representative of every class of equal features (``same_features``), in table order."""

import numpy as np
import pytest

from accelsim.mapping.counts import FEAT_LEN, level_features, same_features
from accelsim.mapping.mapspace import order_structure, order_table
from accelsim.mapping.orders import distinct_orders


def reference(f, level, perms, perm_off):
    mask = sum(1 << d for d in range(8) if f[level, d] > 1)
    feats, reps = [], []
    for a in range(perm_off[mask], perm_off[mask + 1]):
        tmp = np.zeros(FEAT_LEN, dtype=np.int64)
        level_features(f, level, perms[a], tmp)
        if not any(same_features(x, tmp) for x in feats):
            feats.append(tmp)
            reps.append(a)
    return np.array(feats), reps


@pytest.mark.parametrize("seed", range(300))
def test_fast_features_equal_walking_the_permutation(seed):
    rng = np.random.default_rng(seed)
    perms, perm_off = order_table()
    group, prefix, lstar = order_structure()
    f = np.ones((5, 8), dtype=np.int64)
    for level in (3, 4):
        active = rng.random(8) < rng.uniform(0.2, 1.0)
        # small factors from a few values, so distinct loop sets often have equal products
        f[level] = np.where(active, rng.choice([2, 3, 4, 6], 8), 1)
    for level in (3, 4):
        want_feat, want_reps = reference(f, level, perms, perm_off)
        feat = np.zeros((32, FEAT_LEN), dtype=np.int64)
        rep = np.zeros(32, dtype=np.int64)
        n = distinct_orders(f, level, perm_off, group, prefix, lstar, feat, rep)
        assert list(rep[:n]) == want_reps
        assert np.array_equal(feat[:n], want_feat)
