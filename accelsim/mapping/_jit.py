"""The one place for numba flags (STYLE: no kernel hard-codes them). ``cache=True`` so a compiled
kernel is reused by later processes; ``NUMBA_DISABLE_JIT=1`` keeps everything importable and
correct in pure Python (slow) for coverage.

The search launches one short parallel region per wave of slots, thousands per network. With
OpenMP's default wait policy (spin, then sleep) each launch from a process that just ran serial
code costs milliseconds on a 2-core machine; the passive policy makes it microseconds. It is set
only if the user has not chosen one, before the OpenMP runtime starts (its first parallel call)."""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numba  # noqa: E402

JIT = dict(cache=True, nogil=True)
JIT_PARALLEL = dict(cache=True, nogil=True, parallel=True)

njit = numba.njit
prange = numba.prange
