"""Clear the outputs, execution counts and execution timing of notebooks, in place, before
committing them (CI executes them; tests/teaching/test_notebooks_clean.py checks they are clear).

    python scripts/strip_notebooks.py                 # every notebooks/*.ipynb
    python scripts/strip_notebooks.py path/to/x.ipynb
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from accelsim.iosafe import atomic_write_text

ROOT = Path(__file__).resolve().parents[1]


def strip(path: Path) -> bool:
    """Clear one notebook; True if it changed."""
    nb = nbformat.read(str(path), as_version=4)
    before = nbformat.writes(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    after = nbformat.writes(nb)
    if after != before:
        atomic_write_text(path, after + "\n")
    return after != before


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in paths:
        print(f"{path}: {'stripped' if strip(path) else 'already clean'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
