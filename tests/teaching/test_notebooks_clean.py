"""Committed notebooks carry no outputs (they are executed in CI with `pytest --nbmake
notebooks/`, so outputs in git would only be stale copies) and are valid nbformat 4."""

from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[2] / "notebooks").glob("*.ipynb"))


def test_the_notebooks_are_there():
    assert {"01_cnn_shapes.ipynb", "02_dataflows.ipynb", "04_your_model.ipynb"} <= {p.name for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_stripped(path):
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    dirty = [i + 1 for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs or execution counts; clear them before committing"
    assert not any("execution" in c.metadata for c in nb.cells), f"{path.name}: execution timing metadata"
