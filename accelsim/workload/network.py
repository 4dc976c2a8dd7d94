"""A Network: an ordered list of named layers plus its input shape and provenance."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from accelsim.errors import ShapeError
from accelsim.workload.layer import Layer, LoopNest

if TYPE_CHECKING:  # pandas is imported where a frame is made (a run or a sweep worker never needs it)
    import pandas as pd

LAYER_COLUMNS = ["network", "layer", "type", "N", "G", "M", "C", "H", "W", "R", "S", "E", "F",
                 "stride", "pad", "dilation", "params", "macs"]


@dataclass(frozen=True)
class Network:
    """Ordered layers of one network.

    ``input_shape`` is (C, H, W) of one sample; ``batch`` is N of every layer. ``source`` cites
    where the shapes come from; ``notes`` explains differences from quoted totals."""

    name: str
    layers: tuple[Layer, ...]
    input_shape: tuple[int, int, int]
    batch: int = 1
    source: str = ""
    notes: str = ""
    family: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "layers", tuple(self.layers))
        seen: set[str] = set()
        for layer in self.layers:
            if layer.name in seen:
                raise ShapeError(f"network {self.name}: duplicate layer name {layer.name!r}")
            seen.add(layer.name)
            if layer.N != self.batch:
                raise ShapeError(f"network {self.name}: layer {layer.name} has N={layer.N}, batch is {self.batch}")

    # ---- selection -------------------------------------------------------------------------
    @property
    def mapped_layers(self) -> tuple[Layer, ...]:
        """The conv and fc layers (the ones with MACs)."""
        return tuple(layer for layer in self.layers if layer.is_mapped)

    def __iter__(self):
        return iter(self.mapped_layers)

    def __len__(self) -> int:
        return len(self.mapped_layers)

    def __getitem__(self, key: str | int) -> Layer:
        """``net["conv1"]``: the layer of that name (any layer); ``net[i]``: the i-th mapped layer."""
        if isinstance(key, str):
            return self.layer(key)
        return self.mapped_layers[key]

    def layer(self, name: str) -> Layer:
        for layer in self.layers:
            if layer.name == name:
                return layer
        names = [layer.name for layer in self.mapped_layers]
        shown = ", ".join(names[:10]) + (", ..." if len(names) > 10 else "")
        raise KeyError(f"network {self.name} has no layer {name!r} (its layers: {shown})")

    def with_batch(self, n: int) -> Network:
        if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
            raise ShapeError(f"batch must be a positive integer, got {n!r}")
        return replace(self, batch=n, layers=tuple(layer.with_batch(n) for layer in self.layers))

    # ---- totals ----------------------------------------------------------------------------
    @property
    def macs(self) -> int:
        return sum(layer.macs for layer in self.layers)

    @property
    def weights(self) -> int:
        """Filter weights, biases excluded."""
        return sum(layer.weights for layer in self.layers)

    @property
    def biases(self) -> int:
        return sum(layer.biases for layer in self.layers)

    @property
    def params(self) -> int:
        """Weights plus biases."""
        return self.weights + self.biases

    def type_counts(self) -> dict[str, int]:
        """Number of mapped layers per reported type (conv, fc, dwconv, gconv, tconv)."""
        return dict(Counter(layer.type for layer in self.mapped_layers))

    def distinct_nests(self) -> dict[LoopNest, list[str]]:
        """Identical loop nests -> the names of the layers sharing them (in layer order).
        The mapper evaluates each key once per (hardware, dataflow, objective)."""
        groups: dict[LoopNest, list[str]] = {}
        for layer in self.mapped_layers:
            groups.setdefault(layer.nest, []).append(layer.name)
        return groups

    # ---- tables ----------------------------------------------------------------------------
    def to_frame(self, all_layers: bool = False) -> pd.DataFrame:
        """One row per layer with the ``accelsim layers`` CSV columns. ``all_layers`` adds the
        pooling/add/concat/... rows (zero MACs)."""
        rows = [{"network": self.name, **layer.row()} for layer in self.layers
                if all_layers or layer.is_mapped]
        import pandas as pd

        return pd.DataFrame(rows, columns=LAYER_COLUMNS)

    def summary(self) -> str:
        counts = ", ".join(f"{v} {k}" for k, v in sorted(self.type_counts().items()))
        return (f"{self.name}: {len(self.mapped_layers)} layers ({counts}), "
                f"{self.weights:,} weights + {self.biases:,} biases, {self.macs:,} MACs at batch {self.batch}")
