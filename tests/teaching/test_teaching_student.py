"""The student version of an assignment: answers blanked, check cells kept, and the kept check
cells still catch a wrong answer with a message naming the quantity."""

import re
from pathlib import Path

import pytest
from conftest import require

from accelsim.errors import UsageError
from accelsim.teaching.student import BEGIN, END, blank_source, main, make_student_version

nbformat = require("nbformat")  # the dev extra; a failure, not a skip, in CI

ROOT = Path(__file__).resolve().parents[2]
ASSIGNMENT = ROOT / "notebooks" / "01_cnn_shapes.ipynb"


def _solution_lines(nb) -> list[str]:
    lines = []
    for cell in nb.cells:
        inside = False
        for line in cell.source.split("\n"):
            if line.strip() == BEGIN:
                inside = True
            elif line.strip() == END:
                inside = False
            elif inside and line.strip() and not line.strip().startswith("#"):
                lines.append(line.strip())
    return lines


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    out = tmp_path_factory.mktemp("student") / "01_student.ipynb"
    blanked = make_student_version(ASSIGNMENT, out)
    return nbformat.read(str(ASSIGNMENT), as_version=4), nbformat.read(str(out), as_version=4), blanked


def test_no_answer_survives(versions):
    teacher, student, blanked = versions
    answers = _solution_lines(teacher)
    assert blanked >= 10 and len(answers) >= 20
    text = "\n".join(c.source for c in student.cells)
    assert BEGIN not in text and END not in text
    survivors = [a for a in answers if a in text]
    assert not survivors, f"answers left in the student version: {survivors}"
    # the right-hand side of every answer is gone too (e.g. '(227 - 11) // 4 + 1')
    for a in answers:
        m = re.match(r"^\w+ = (.+)$", a)
        if m and len(m.group(1)) > 3:
            assert m.group(1) not in text, m.group(1)


def test_questions_and_check_cells_are_kept_and_names_are_given(versions):
    teacher, student, _ = versions
    assert len(student.cells) == len(teacher.cells)
    for t, s in zip(teacher.cells, student.cells, strict=True):
        assert t.cell_type == s.cell_type
        if BEGIN not in t.source:
            assert t.source == s.source  # questions, setup and check cells unchanged
    stubs = "\n".join(c.source for c in student.cells)
    for name in ("conv1_E", "conv1_weights", "alexnet_macs", "vgg_weights", "mac_reduction"):
        assert f"{name} = ...  # YOUR ANSWER HERE" in stubs
    assert "YOUR ANSWER HERE" in [c.source for c in student.cells if c.cell_type == "markdown"]
    assert all(c.outputs == [] and c.execution_count is None for c in student.cells if c.cell_type == "code")


def _cell_index(nb, needle: str) -> int:
    return next(i for i, c in enumerate(nb.cells) if needle in c.source)


def test_an_unanswered_student_notebook_stops_at_the_first_check(versions):
    """The student cells run in order in one namespace, as a kernel would."""
    from accelsim.teaching.checks import WrongAnswer

    _, student, _ = versions
    ns: dict = {}
    with pytest.raises(WrongAnswer) as info:
        for cell in student.cells:
            if cell.cell_type == "code":
                exec(compile(cell.source, "<cell>", "exec"), ns)
    assert str(info.value).splitlines()[0] == "alexnet conv1 E: not answered yet (replace the ... with your number)"


def test_a_wrong_answer_in_the_student_notebook_is_named_by_its_check_cell(versions):
    """Run the student version in a Jupyter kernel (nbclient) with a wrong conv1 weight count
    filled in: its check cell fails and names the quantity, the size of the error and a hint."""
    nbclient = require("nbclient")
    _, student, _ = versions
    nb = nbformat.reads(nbformat.writes(student), as_version=4)  # a copy
    setup = _cell_index(nb, "import accelsim")
    answer = _cell_index(nb, "conv1_weights = ...")
    nb.cells[answer].source = "conv1_weights = 11 * 11 * 3 * 96 + 96\nconv1_biases = 96\nconv1_macs = 105_415_200"
    nb.cells = [nb.cells[setup], nb.cells[answer], nb.cells[answer + 1]]  # setup, answer, its check cell
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3")
    with pytest.raises(nbclient.exceptions.CellExecutionError) as info:
        client.execute()
    msg = str(info.value)
    assert "WrongAnswer" in msg
    assert "alexnet conv1 weights: you gave 34,944, accelsim says 34,848, off by +96" in msg
    assert "you counted the biases too" in msg
    assert "conv1 biases" not in msg.split("WrongAnswer")[-1]  # the right answers are not listed
    printed = "".join(o.get("text", "") for o in nb.cells[2].outputs if o.get("name") == "stdout")
    assert "correct: alexnet conv1 biases = 96" in printed


# ---- the blanking rules ---------------------------------------------------------------------
def test_blanking_code_and_markdown():
    src = f"x = 1\n    {BEGIN}\n    a = 2 * 3\n    b: int = a + 1\n    {END}\nprint(a)"
    assert blank_source(src, "code") == ("x = 1\n    a = ...  # YOUR ANSWER HERE\n"
                                        "    b = ...  # YOUR ANSWER HERE\nprint(a)")
    src = f"{BEGIN}\nfor i in range(3):\n    total += i\n{END}"
    assert blank_source(src, "code") == "# YOUR CODE HERE\nraise NotImplementedError()"
    assert blank_source(f"Why?\n{BEGIN}\nBecause.\n{END}", "markdown") == "Why?\nYOUR ANSWER HERE"
    hidden = "check(a)\n### BEGIN HIDDEN TESTS\nassert a == 6\n### END HIDDEN TESTS"
    assert blank_source(hidden, "code") == "check(a)"


@pytest.mark.parametrize("src, problem", [
    (f"{BEGIN}\nx = 1", "has no"),
    (f"x = 1\n{END}", "without"),
    (f"{BEGIN}\n{BEGIN}\n{END}", "inside another"),
])
def test_unbalanced_markers_are_an_error_naming_the_line(src, problem):
    with pytest.raises(UsageError, match=problem):
        blank_source(src, "code", "cell 3")


def test_command_line(tmp_path, capsys):
    out = tmp_path / "s.ipynb"
    assert main([str(ASSIGNMENT), "--out", str(out)]) == 0
    assert "answers blanked" in capsys.readouterr().out and out.exists()
    assert main([str(tmp_path / "missing.ipynb"), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "does not exist" in err
    assert main([str(out), "--out", str(out)]) == 2  # never over the input
    assert "instructor's notebook itself" in capsys.readouterr().err
    assert main([str(out), "--out", str(tmp_path / "again.ipynb")]) == 2  # nothing left to blank
    assert "no '### BEGIN SOLUTION' markers" in capsys.readouterr().err
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json")
    assert main([str(bad), "--out", str(tmp_path / "x.ipynb")]) == 2
    assert "not a readable notebook" in capsys.readouterr().err
