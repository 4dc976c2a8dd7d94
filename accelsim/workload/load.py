"""Resolve a network argument: a zoo name, or a path to a workload file."""

from __future__ import annotations

import os
from pathlib import Path

from accelsim.errors import WorkloadError
from accelsim.workload import zoo
from accelsim.workload.network import Network

FILE_SUFFIXES = (".yaml", ".yml", ".csv", ".onnx", ".json")


def load_network(name_or_path: str | Path, batch: int = 1, input_shape=None,
                 density_profile: str | None = None) -> Network:
    """A zoo network by name, or a network file (layer table CSV/YAML, Timeloop problem YAML,
    SCALE-Sim topology CSV, ONNX). ``batch`` sets N of every layer. ``input_shape`` (C, H, W, or
    a string such as '3x224x224') builds a zoo network at another input size where its
    architecture allows it (see accelsim.workload.zoo); a file's shapes are fixed.
    ``density_profile`` (zoo networks only): set the layers' densities from the network's named,
    cited profile (e.g. alexnet's "eyeriss-jssc17")."""
    if density_profile is not None:
        net = load_network(name_or_path, batch, input_shape)
        return zoo.with_density_profile(net, str(name_or_path), density_profile)
    if isinstance(batch, bool) or not isinstance(batch, int) or batch <= 0:
        raise WorkloadError(f"batch must be a positive integer, got {batch!r}")
    if not isinstance(name_or_path, (str, Path)):
        raise WorkloadError(f"a network is a zoo name or a file path, got {type(name_or_path).__name__}")
    text = str(name_or_path)
    if not text.strip() or "\0" in text:
        raise WorkloadError(f"not a network name or file path: {text!r}")
    path = Path(text)
    if _is_dir(path) and "/" not in text and os.sep not in text and _zoo_has(text):
        # a bare zoo name wins over a same-named folder (e.g. an export)
        return zoo.build(text, batch=batch, input_shape=input_shape)
    if path.suffix.lower() in FILE_SUFFIXES or _exists(path):
        if not _exists(path):  # a folder is fine: a folder of Timeloop problems
            raise WorkloadError(f"workload file {text} does not exist")
        if input_shape is not None:
            raise WorkloadError(f"an input size applies to zoo networks; the shapes in {text} are fixed by the file")
        from accelsim.workload.files import read_network_file

        return read_network_file(path, batch=batch)
    return zoo.build(text, batch=batch, input_shape=input_shape)


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:  # e.g. a name longer than the file system allows: not a file
        return False


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:
        return False


def _zoo_has(name: str) -> bool:
    try:
        zoo.entry(name)
    except WorkloadError:
        return False
    return True
