"""Make the student version of an assignment notebook: answers blanked, check cells kept.

    python -m accelsim.teaching.student notebooks/01_cnn_shapes.ipynb --out student/01_cnn_shapes.ipynb

The instructor's notebook marks answers as nbgrader does:

- in a code cell, the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` are the
  answer. Each top-level assignment in them (``conv1_E = (227 - 11) // 4 + 1``) becomes
  ``conv1_E = ...  # YOUR ANSWER HERE``, so the student sees which names to fill in; any other
  answer code becomes ``# YOUR CODE HERE`` and ``raise NotImplementedError()``;
- in a markdown cell, the text between the same markers becomes ``YOUR ANSWER HERE``;
- lines between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` are removed.

Everything else (the questions, the check cells) is kept, and every output and execution count
is cleared. A marker without its partner, or markers left in the result, is an error (exit 2,
one line naming the cell); the output is written atomically and never over the input.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path

from accelsim.errors import UsageError

BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"
CODE_STUB = "# YOUR CODE HERE\nraise NotImplementedError()"
ANSWER_STUB = "# YOUR ANSWER HERE"
MARKDOWN_STUB = "YOUR ANSWER HERE"


def _regions(lines: list[str], begin: str, end: str, where: str) -> list[tuple[int, int]]:
    """(start, stop) line indices of each begin..end region, markers included."""
    out, start = [], None
    for i, line in enumerate(lines):
        text = line.strip()
        if text == begin:
            if start is not None:
                raise UsageError(f"{where}: '{begin}' at line {i + 1} inside another one")
            start = i
        elif text == end:
            if start is None:
                raise UsageError(f"{where}: '{end}' at line {i + 1} without '{begin}'")
            out.append((start, i))
            start = None
    if start is not None:
        raise UsageError(f"{where}: '{begin}' at line {start + 1} has no '{end}'")
    return out


def _assigned_names(code: str) -> list[str] | None:
    """The names a solution assigns at top level, in order, if it only assigns; else None."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    names: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                if not isinstance(t, ast.Name):
                    return None
                if t.id not in names:
                    names.append(t.id)
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            return None
    return names or None


def _stub(solution: list[str]) -> list[str]:
    indent = ""
    for line in solution:
        if line.strip():
            indent = line[: len(line) - len(line.lstrip())]
            break
    body = "\n".join(line[len(indent):] if line.startswith(indent) else line for line in solution)
    names = _assigned_names(body)
    if names:
        return [f"{indent}{name} = ...  {ANSWER_STUB}" for name in names]
    return [indent + line for line in CODE_STUB.splitlines()]


def blank_source(source: str, cell_type: str, where: str = "cell") -> str:
    """One cell's source with its answers blanked and hidden tests removed."""
    lines = source.split("\n")
    for start, stop in reversed(_regions(lines, BEGIN_HIDDEN, END_HIDDEN, where)):
        del lines[start:stop + 1]
    for start, stop in reversed(_regions(lines, BEGIN, END, where)):
        inner = lines[start + 1:stop]
        if cell_type == "code":
            lines[start:stop + 1] = _stub(inner)
        else:
            lines[start:stop + 1] = [MARKDOWN_STUB]
    return "\n".join(lines)


def has_markers(source: str) -> bool:
    return any(m in source for m in (BEGIN, END, BEGIN_HIDDEN, END_HIDDEN))


def _nbformat():
    try:
        import nbformat
    except ImportError:
        raise UsageError("the student version needs nbformat: pip install 'accelsim[teaching]'") from None
    return nbformat


def student_notebook(nb):
    """A copy of notebook ``nb`` (an nbformat NotebookNode) with answers blanked, outputs cleared."""
    import copy

    out = copy.deepcopy(nb)
    for index, cell in enumerate(out.cells):
        where = f"cell {index + 1} ({cell.cell_type})"
        if cell.cell_type in ("code", "markdown"):
            cell.source = blank_source(cell.source, cell.cell_type, where)
        if has_markers(cell.source):
            raise UsageError(f"{where}: solution markers left after blanking")
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    return out


def make_student_version(source: str | Path, out: str | Path) -> int:
    """Write the student version of notebook ``source`` to ``out``; returns the number of answers
    blanked. Raises UsageError for a missing or malformed notebook, or ``out`` == ``source``."""
    from accelsim.iosafe import atomic_write_text

    nbformat = _nbformat()
    src, dst = Path(source), Path(out)
    if not src.is_file():
        raise UsageError(f"notebook {src} does not exist")
    if dst.exists() and dst.resolve() == src.resolve():
        raise UsageError(f"--out {dst} is the instructor's notebook itself; choose another path")
    try:
        nb = nbformat.read(str(src), as_version=4)
    except Exception as exc:  # nbformat raises several types for a bad file
        raise UsageError(f"{src} is not a readable notebook: {str(exc).splitlines()[0] if str(exc) else exc}") \
            from None
    answers = sum(len(_regions(c.source.split("\n"), BEGIN, END, f"cell {i + 1}"))
                  for i, c in enumerate(nb.cells))
    if not answers:
        raise UsageError(f"{src} has no '{BEGIN}' markers: nothing to blank")
    student = student_notebook(nb)
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        atomic_write_text(dst, nbformat.writes(student) + "\n")
    except OSError as exc:
        raise UsageError(f"cannot write --out {dst}: {exc.strerror or exc}") from None
    return answers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m accelsim.teaching.student",
                                     description="Write the student version of an assignment notebook.")
    parser.add_argument("notebook", help="the instructor's notebook (with ### BEGIN SOLUTION markers)")
    parser.add_argument("--out", required=True, help="where to write the student version")
    args = parser.parse_args(argv)
    try:
        n = make_student_version(args.notebook, args.out)
    except UsageError as exc:
        print(f"accelsim: error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.out}: {n} answers blanked, outputs cleared")
    return 0


if __name__ == "__main__":
    sys.exit(main())
