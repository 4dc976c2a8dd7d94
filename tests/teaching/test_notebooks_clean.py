"""Committed notebooks carry no outputs (they are executed in CI with `pytest --nbmake
notebooks/`, so outputs in git would only be stale copies) and are valid nbformat 4."""

from pathlib import Path

import pytest
from conftest import require

nbformat = require("nbformat")  # the dev extra; a failure, not a skip, in CI

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_the_notebooks_are_there():
    assert {"01_cnn_shapes.ipynb", "02_dataflows.ipynb", "04_your_model.ipynb"} <= {p.name for p in NOTEBOOKS}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_outputs_are_stripped(path):
    nb = nbformat.read(str(path), as_version=4)
    nbformat.validate(nb)
    dirty = [i + 1 for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and (c.outputs or c.execution_count is not None)]
    assert not dirty, f"{path.name}: cells {dirty} have outputs or execution counts; run python scripts/strip_notebooks.py"
    assert not any("execution" in c.metadata for c in nb.cells), f"{path.name}: execution timing metadata"


def test_strip_script_clears_a_run_notebook(tmp_path):
    import importlib.util

    from nbformat.v4 import new_code_cell, new_notebook, new_output

    spec = importlib.util.spec_from_file_location("strip_notebooks", ROOT / "scripts" / "strip_notebooks.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    cell = new_code_cell("print(1)", execution_count=3, outputs=[new_output("stream", name="stdout", text="1\n")])
    cell.metadata["execution"] = {"iopub.status.idle": "2026-12-02T14:00:00Z"}
    path = tmp_path / "run.ipynb"
    nbformat.write(new_notebook(cells=[cell]), str(path))
    assert script.strip(path) is True
    nb = nbformat.read(str(path), as_version=4)
    assert nb.cells[0].outputs == [] and nb.cells[0].execution_count is None and nb.cells[0].metadata == {}
    assert nb.cells[0].source == "print(1)"
    assert script.strip(path) is False  # already clean: untouched
