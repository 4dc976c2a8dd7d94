"""The one place for numba flags (STYLE: no kernel hard-codes them). ``cache=True`` so a compiled
kernel is reused by later processes; ``NUMBA_DISABLE_JIT=1`` keeps everything importable and
correct in pure Python (slow) for coverage."""

import numba

JIT = dict(cache=True, nogil=True)
JIT_PARALLEL = dict(cache=True, nogil=True, parallel=True)

njit = numba.njit
prange = numba.prange
