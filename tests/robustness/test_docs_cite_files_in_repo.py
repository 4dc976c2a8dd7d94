"""The README and docs cite only files that ship in the repository (a reader who clones it can
open every file named): each ``something.md``, ``path/file.py`` or ``path/notebook.ipynb`` they
mention exists (an output path in an example command, such as ``--out student/x.ipynb``, is not
a citation)."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
CITED = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w.-]+\.(?:md|py|ipynb))\b")


def _exists(name: str, doc: Path) -> bool:
    return any((base / name).exists() for base in (ROOT, doc.parent, ROOT / "accelsim"))


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_cited_file_exists(doc):
    text = doc.read_text()
    outputs = set(re.findall(r"--out\s+(\S+)", text))
    missing = sorted({m for m in CITED.findall(text)
                      if not m.startswith(("http", "www.")) and m not in outputs and not _exists(m, doc)})
    assert not missing, f"{doc.name} cites files not in the repository: {missing}"


def test_the_scan_sees_a_missing_file(tmp_path):
    doc = tmp_path / "x.md"
    doc.write_text("see PEERS.md and docs/model.md")
    assert [m for m in CITED.findall(doc.read_text()) if not _exists(m, doc)] == ["PEERS.md"]
