"""Read any workload file accelsim understands, choosing the reader by suffix and content.

- ``.onnx``                 -> ONNX model (``onnx_extract``)
- ``.csv``                  -> SCALE-Sim topology if the header says so, else a layer table
- ``.yaml`` / ``.yml``      -> Timeloop problem(s) if the document has ``problem``, else a layer
                               table (a mapping with ``layers``)
- ``.json``                 -> the JSON of ``accelsim layers --format json``
- a folder                  -> a folder of Timeloop problems

Every malformed input raises ``WorkloadError`` with one line naming the file and, where there
is one, the line/row and field.

``batch``: formats without a batch (ONNX, SCALE-Sim) give every layer N = ``batch``. Formats
that carry N (layer tables, Timeloop problems) keep their N unless ``batch`` is other than 1.
"""

from __future__ import annotations

import os
from pathlib import Path

from accelsim.errors import WorkloadError
from accelsim.safeinput import InputRefused, load_yaml_all, normalize_newlines, read_regular_file
from accelsim.workload import scalesim, table, timeloop
from accelsim.workload.network import Network

SUFFIXES = (".onnx", ".csv", ".yaml", ".yml", ".json")


def _text(path: Path, data: bytes, expected: str) -> str:
    if b"\x00" in data:
        raise WorkloadError(f"{path}: not a text file (binary content); expected {expected}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WorkloadError(f"{path}: not a text file (binary content); expected {expected}") from None
    if not text.strip():
        raise WorkloadError(f"{path}: file is empty")
    return text


def _yaml_docs(path: Path, text: str) -> list:
    try:
        return load_yaml_all(text)
    except InputRefused as exc:
        raise WorkloadError(f"{path}: {exc}") from None


def read_workload_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The bytes of a workload file: a regular file within the size limit (see accelsim.safeinput)."""
    try:
        return read_regular_file(path) if max_bytes is None else read_regular_file(path, max_bytes)
    except InputRefused as exc:
        raise WorkloadError(f"{path}: {exc}") from None


def _read_yaml(path: Path, text: str, batch: int) -> Network:
    docs = _yaml_docs(path, text)
    if not docs:
        raise WorkloadError(f"{path}: file holds no YAML document")
    if all(timeloop.is_problem(d) for d in docs):
        return timeloop.network_from_docs(docs, path, batch)
    if len(docs) == 1 and isinstance(docs[0], dict) and "layers" in docs[0]:
        return table.read_table_yaml_doc(docs[0], path, batch)
    first = docs[0]
    if len(docs) > 1:
        bad = next(i for i, d in enumerate(docs) if not timeloop.is_problem(d))
        raise WorkloadError(f"{path}: document {bad + 1} is not a Timeloop problem (no 'problem' key)")
    kind = type(first).__name__ if not isinstance(first, dict) else f"a mapping with keys {_keys_text(first)}"
    raise WorkloadError(f"{path}: neither a Timeloop problem (needs 'problem') nor a layer table (needs 'layers'); "
                        f"found {kind}")


def _keys_text(mapping: dict, shown: int = 8, width: int = 40) -> str:
    """A mapping's keys for a one-line message: quoted (a key holding a newline stays on the line),
    each cut to ``width`` characters, at most ``shown`` of them."""
    keys = [repr(k) if len(repr(k)) <= width else repr(k)[: width - 3] + "..." for k in list(mapping)[:shown]]
    return ", ".join(keys) + (f" (and {len(mapping) - shown} more)" if len(mapping) > shown else "")


def read_network_file(path: str | os.PathLike, batch: int = 1) -> Network:
    """A Network from a workload file or a folder of Timeloop problems (see the module doc)."""
    path = Path(path)
    if path.is_dir():
        return timeloop.read_timeloop(path, batch)
    if not path.exists():
        raise WorkloadError(f"workload file {path} does not exist")
    suffix = path.suffix.lower()
    if suffix == ".onnx":
        from accelsim.workload.onnx_extract import from_onnx

        return from_onnx(path, batch=batch)
    if suffix not in SUFFIXES:
        raise WorkloadError(f"{path}: unknown workload file type {suffix or '(no suffix)'!r}; expected "
                            f"{', '.join(SUFFIXES)} or a folder of Timeloop problems")
    data = read_workload_bytes(path)
    if suffix == ".csv":
        text = _text(path, data, "a CSV layer table or SCALE-Sim topology")
        first = next(line for line in normalize_newlines(text).splitlines() if line.strip())
        if scalesim.is_topology_header(first):
            return scalesim.read_scalesim_text(text, path, batch)
        return table.read_table_csv_text(text, path, batch)
    if suffix == ".json":
        return table.read_table_json_text(_text(path, data, "JSON from `accelsim layers --format json`"), path,
                                          batch)
    return _read_yaml(path, _text(path, data, "a YAML Timeloop problem or layer table"), batch)
