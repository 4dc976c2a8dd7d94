"""numba's on-disk cache of accelsim's kernels is stamped with every source file a kernel depends
on (``_jit.kernel_source_stamp``), not with the kernel's own file only: a cached search that
inlines an old version of counts.py must not be loaded next to a recompiled counts.py."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import accelsim
from accelsim.mapping import _jit

PACKAGE = Path(accelsim.__file__).resolve().parent


def _accelsim_imports(path: Path) -> set[str]:
    """The accelsim modules a file imports (as paths relative to the package)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("accelsim"):
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [a.name for a in node.names if a.name.startswith("accelsim")]
        for name in names:
            rel = Path(*name.split(".")[1:])
            out.add(str(rel.with_suffix(".py")) if (PACKAGE / rel.with_suffix(".py")).exists()
                    else str(rel / "__init__.py"))
    return out


def test_the_stamp_covers_every_module_the_kernels_import():
    kernel_files = {str(p.relative_to(PACKAGE)) for p in (PACKAGE / "mapping").glob("*.py")
                    if "_jit import" in p.read_text()}
    assert "mapping/kernels.py" in kernel_files and "mapping/counts.py" in kernel_files
    closure, todo = set(), list(kernel_files)
    while todo:  # everything the kernel modules import, transitively, inside accelsim
        rel = todo.pop()
        if rel in closure:
            continue
        closure.add(rel)
        todo.extend(_accelsim_imports(PACKAGE / rel) - closure)
    closure.discard("__init__.py")
    closure.discard("mapping/__init__.py")
    assert closure <= set(_jit.KERNEL_SOURCES), closure - set(_jit.KERNEL_SOURCES)
    assert kernel_files <= set(_jit.KERNEL_SOURCES) | {"mapping/_jit.py"}


def test_editing_any_kernel_source_changes_the_stamp(tmp_path, monkeypatch):
    for rel in _jit.KERNEL_SOURCES:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PACKAGE / rel, tmp_path / rel)
    monkeypatch.setattr(_jit, "_PACKAGE", tmp_path)
    base = _jit.kernel_source_stamp()
    assert base == _jit.kernel_source_stamp()  # a stamp of content: the same files, the same stamp
    for rel in ("mapping/counts.py", "mapping/dims.py", "datatypes.py"):
        original = (tmp_path / rel).read_text()
        (tmp_path / rel).write_text(original + "\n# an edit\n")
        assert _jit.kernel_source_stamp() != base, rel
        (tmp_path / rel).write_text(original)
    assert _jit.kernel_source_stamp() == base


def test_every_kernel_is_cached_under_the_package_stamp():
    from accelsim.mapping.counts import count_accesses
    from accelsim.mapping.kernels import search_slot

    for dispatcher in (search_slot, count_accesses):
        locator = dispatcher._cache._impl._locator  # numba internals: the locator numba picked
        assert type(locator).__name__.startswith("Accelsim")
        assert locator.get_source_stamp() == _jit.kernel_source_stamp()
