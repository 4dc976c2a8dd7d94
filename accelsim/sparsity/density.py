"""Densities: the fraction of nonzero elements of a layer's ifmap, weights and ofmap (1 = dense).

A ``Density`` lives on a ``Layer`` (``Layer.density``; None = dense). The model treats every
element as nonzero independently with that probability (a uniform Bernoulli model, as
Sparseloop's default statistical density model, MICRO 2022).

    parse_density("ifmap=0.4,weights=0.3")  ->  {"ifmap": 0.4, "weights": 0.3}
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from accelsim.errors import UsageError

KEYS = ("ifmap", "weights", "ofmap")
# hardware datatype index (weights, ifmap, psum) -> density key; a psum's final value is the ofmap
DATATYPE_KEYS = ("weights", "ifmap", "ofmap")


class DensityError(UsageError):
    """A density that is not a number in [0, 1], or an unknown datatype name."""


def check_value(key: str, value, where: str = "") -> float:
    """``value`` as a float in [0, 1], else DensityError naming ``key`` (and ``where``)."""
    at = f"{where}: " if where else ""
    if key not in KEYS:
        raise DensityError(f"{at}unknown datatype {key!r} for a density; expected one of {', '.join(KEYS)}")
    if isinstance(value, bool):
        raise DensityError(f"{at}{key} density must be a number in [0, 1], got {value!r}")
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise DensityError(f"{at}{key} density must be a number in [0, 1], got {value!r}") from None
    if math.isnan(x) or x < 0.0 or x > 1.0:
        raise DensityError(f"{at}{key} density must be a number in [0, 1], got {value!r}")
    return x


@dataclass(frozen=True)
class Density:
    """Fractions of nonzero elements (each in [0, 1]) of the ifmap, the weights and the ofmap (the
    output after the layer's activation function, as written back)."""

    ifmap: float = 1.0
    weights: float = 1.0
    ofmap: float = 1.0

    def __post_init__(self) -> None:
        for key in KEYS:
            object.__setattr__(self, key, check_value(key, getattr(self, key)))

    @property
    def is_dense(self) -> bool:
        return self.ifmap == 1.0 and self.weights == 1.0 and self.ofmap == 1.0

    def of(self, t: int) -> float:
        """Density of hardware datatype t (0 weights, 1 ifmap, 2 psum -> the ofmap)."""
        return getattr(self, DATATYPE_KEYS[int(t)])

    def with_values(self, values: dict) -> Density:
        """A copy with the given keys replaced (checked)."""
        return replace(self, **{k: check_value(k, v) for k, v in values.items()})

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in KEYS}


DENSE = Density()


def parse_density(text: str) -> dict[str, float]:
    """'ifmap=0.4,weights=0.3' -> {'ifmap': 0.4, 'weights': 0.3}; DensityError (one line) on a bad
    item, an unknown datatype, a value outside [0, 1] or NaN, or a repeated key."""
    if not isinstance(text, str) or not text.strip():
        raise DensityError(f"density must look like 'ifmap=0.4,weights=0.3', got {text!r}")
    out: dict[str, float] = {}
    for item in text.split(","):
        key, sep, value = item.partition("=")
        key = key.strip().lower()
        if not sep or not key or not value.strip():
            raise DensityError(f"density item {item.strip()!r} must be DATATYPE=VALUE "
                               f"(datatypes: {', '.join(KEYS)})")
        if key in out:
            raise DensityError(f"density for {key} given twice")
        out[key] = check_value(key, value.strip())
    return out


def as_density(value) -> Density | None:
    """None, a Density, a dict {key: value} or a 'key=value,...' string -> Density (or None)."""
    if value is None or isinstance(value, Density):
        return value
    if isinstance(value, str):
        return DENSE.with_values(parse_density(value))
    if isinstance(value, dict):
        return DENSE.with_values(value)
    raise DensityError(f"density must be a Density, a dict or 'ifmap=0.4,weights=0.3', got {type(value).__name__}")
