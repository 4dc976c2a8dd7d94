"""The one place for numba flags (STYLE: no kernel hard-codes them). ``cache=True`` so a compiled
kernel is reused by later processes; ``NUMBA_DISABLE_JIT=1`` keeps everything importable and
correct in pure Python (slow) for coverage. ``nogil`` so searches run side by side on Python
threads (``mapper``); no kernel uses ``parallel=True``: numba's parallel lowering alone took 11 s of
the 60 s cold compile, and the threads it starts are not needed.
"""

import numba

JIT = dict(cache=True, nogil=True, no_cfunc_wrapper=True)


class _OneSpecialization(numba.core.registry.CPUDispatcher):
    """A kernel called from another kernel with constant arguments (``tile_words(2, ...)``,
    ``_probe(True, t, sz, 0, 0, -1, ...)``) is compiled by numba once per distinct constant
    (``Literal[int](0)``, ``Literal[bool](True)``, ...): measured on a cold cache, 58 compiled
    specialisations for 40 kernels, 18 of them such duplicates (``parts._probe`` 6 times,
    ``counts.rf_boundary_counts`` and ``glb_boundary_counts`` 4 times each). Typing such calls
    with the constants' plain types compiles each kernel once per real signature; the code is
    the same (LLVM still folds the constants where it inlines)."""

    def get_call_template(self, args, kws):
        args = tuple(numba.core.types.unliteral(a) for a in args)
        kws = {k: numba.core.types.unliteral(v) for k, v in kws.items()}
        return super().get_call_template(args, kws)


def njit(*args, **kwargs):
    """``numba.njit`` whose kernels are compiled once per non-literal signature (see above)."""
    decorate = numba.njit(*args, **kwargs) if not (args and callable(args[0])) else None
    if decorate is None:  # used bare: @njit
        return _one(numba.njit(args[0], **kwargs))
    return lambda func: _one(decorate(func))


def _one(dispatcher):
    if isinstance(dispatcher, numba.core.registry.CPUDispatcher):  # not under NUMBA_DISABLE_JIT
        dispatcher.__class__ = _OneSpecialization
    return dispatcher
