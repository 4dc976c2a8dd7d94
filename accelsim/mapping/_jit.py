"""The one place for numba flags (STYLE: no kernel hard-codes them). ``cache=True`` so a compiled
kernel is reused by later processes; ``NUMBA_DISABLE_JIT=1`` keeps everything importable and
correct in pure Python (slow) for coverage. ``nogil`` so searches run side by side on Python
threads (``mapper``); no kernel uses ``parallel=True``: numba's parallel lowering alone took 11 s of
the 60 s cold compile, and the threads it starts are not needed.
"""

import hashlib
from pathlib import Path

import numba

try:
    from numba.core.caching import CacheImpl, InTreeCacheLocator, UserProvidedCacheLocator
except ImportError:  # older numba releases name them with a leading underscore
    from numba.core.caching import _CacheImpl as CacheImpl
    from numba.core.caching import _InTreeCacheLocator as InTreeCacheLocator
    from numba.core.caching import _UserProvidedCacheLocator as UserProvidedCacheLocator

JIT = dict(cache=True, nogil=True, no_cfunc_wrapper=True)

# The source files whose content the compiled kernels depend on: the modules that define kernels
# and every accelsim module they take constants or kernels from (a kernel inlines its callees and
# freezes module-level constants into its machine code). tests/mapping/test_kernel_cache.py checks
# the list against the kernels' imports.
KERNEL_SOURCES = ("mapping/_jit.py", "mapping/counts.py", "mapping/bounds.py", "mapping/parts.py",
                  "mapping/orders.py", "mapping/kernels.py", "mapping/mapspace.py", "mapping/dims.py",
                  "mapping/dataflows.py", "datatypes.py", "errors.py")
_PACKAGE = Path(__file__).resolve().parent.parent


def kernel_source_stamp() -> bytes:
    """sha256 over the content of every file in ``KERNEL_SOURCES``.

    numba stamps a cached kernel with its own file only, so after an edit of counts.py a cached
    ``kernels.search_slot`` (which inlines counts' functions) would be loaded with the old counts
    while ``counts.count_accesses`` was recompiled with the new: the search and the evaluation
    disagree (seen: a brute-force test failing after a merge that changed counts.py alone). With
    every kernel stamped by all the files any kernel depends on, an edit of any of them makes
    every kernel compile again."""
    digest = hashlib.sha256()
    for name in KERNEL_SOURCES:
        digest.update(name.encode() + b"\0" + (_PACKAGE / name).read_bytes())
    return digest.digest()


def _stamped(base):
    class Locator(base):
        """numba's own locator for accelsim's kernels, with ``kernel_source_stamp`` as the stamp."""

        @classmethod
        def from_function(cls, py_func, py_file):
            if Path(py_file).resolve().parent != _PACKAGE / "mapping":
                return None
            return super().from_function(py_func, py_file)

        def get_source_stamp(self):
            return kernel_source_stamp()

    Locator.__name__ = f"Accelsim{base.__name__}"
    return Locator


CacheImpl._locator_classes[:0] = [_stamped(UserProvidedCacheLocator), _stamped(InTreeCacheLocator)]


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
