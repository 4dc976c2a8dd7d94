"""Hardware variants by dotted path, and a Hardware back to its config (YAML / mapping).

A dotted path names one field of the hardware YAML (``accelsim/arch/schema.py``):
``pe_array.rows``, ``levels.glb.shared_capacity_words``, ``levels.rf.capacity_words.weights``,
``energy.table``, ``clock_mhz``, ... The same paths are used by ``Hardware.derive`` and by the
sweep spec's ``hw.vary``. A variant is rebuilt from the edited config by the same path as a file
(``accelsim.arch.load.build``), so its area and capacity-scaled energies are always recomputed.
"""

from __future__ import annotations

import copy
import difflib
import types
import typing
from collections.abc import Mapping
from dataclasses import fields

import yaml
from pydantic import BaseModel, ValidationError

from accelsim.arch.schema import HardwareSpec
from accelsim.errors import ConfigError


def _models(annotation) -> list[type[BaseModel]]:
    """The pydantic models an annotation may hold (through Optional / Union / Annotated)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    out = []
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, typing.Annotated):
        for arg in typing.get_args(annotation):
            out += _models(arg)
    return out


def parameter_paths(model: type[BaseModel] = HardwareSpec, prefix: str = "") -> list[str]:
    """Every dotted path of the hardware YAML a variant may set (leaves and sub-mappings)."""
    out = []
    for name, info in model.model_fields.items():
        path = f"{prefix}{name}"
        out.append(path)
        for sub in _models(info.annotation):
            out += parameter_paths(sub, path + ".")
    return list(dict.fromkeys(out))


def check_path(path: str) -> None:
    """ConfigError naming ``path`` unless it is a field of the hardware YAML."""
    if not isinstance(path, str) or not path:
        raise ConfigError(f"hardware parameter path must be a dotted string like 'pe_array.rows', got {path!r}")
    known = parameter_paths()
    if path not in known:
        close = difflib.get_close_matches(path, known, n=2, cutoff=0.6)
        hint = f"; did you mean {' or '.join(close)}?" if close else " (see the fields in docs/hardware.md)"
        raise ConfigError(f"unknown hardware parameter {path!r}{hint}")


def config_mapping(hw) -> dict:
    """The config mapping ``hw`` was built from, as plain YAML data (keys the user gave, validated)."""
    spec = hw.spec
    if spec is None:
        raise ConfigError(f"hardware {hw.name!r} carries no config to rebuild from")
    return spec.model_dump(mode="json", exclude_unset=True)


def config_yaml(hw) -> str:
    """YAML text of ``hw``'s config; ``load_hw`` of it gives an equal Hardware."""
    head = (f"# hardware config {hw.name} (from {hw.path or 'a mapping'}): "
            "loads back with accelsim.load_hw(FILE) or --hw FILE\n")
    return head + yaml.safe_dump(config_mapping(hw), sort_keys=False, default_flow_style=None, width=100,
                                 allow_unicode=True)


def apply_overrides(doc: dict, overrides: Mapping) -> dict:
    """A deep copy of the config mapping ``doc`` with each ``dotted.path: value`` set (missing
    intermediate mappings are created)."""
    out = copy.deepcopy(doc)
    for path, value in overrides.items():
        check_path(path)
        node = out
        keys = path.split(".")
        for i, key in enumerate(keys[:-1]):
            child = node.get(key)
            if child is None:
                child = node[key] = {}
            elif not isinstance(child, dict):
                raise ConfigError(f"hardware parameter {path!r}: {'.'.join(keys[:i + 1])} is {child!r} in the "
                                  "base config, not a mapping; set it as a whole")
            node = child
        node[keys[-1]] = copy.deepcopy(value)
    return out


def derive(hw, overrides: Mapping):
    """New validated Hardware: ``hw``'s config with ``overrides`` (dotted path -> value) applied."""
    from accelsim.arch.load import _first_error, build

    if not isinstance(overrides, Mapping):
        raise ConfigError(f"derive takes a mapping of dotted paths to values, got {type(overrides).__name__}")
    doc = apply_overrides(config_mapping(hw), overrides)
    shown = ", ".join(f"{k}={v!r}" for k, v in overrides.items())
    where = f"{hw.name} with {shown}" if shown else hw.name
    try:
        spec = HardwareSpec.model_validate(doc)
    except ValidationError as exc:
        raise ConfigError(f"{where}: {_first_error(exc)}") from None
    return build(spec, hw.path)


def check_consistent(hw) -> None:
    """Raise ConfigError unless every field of ``hw`` is what its config gives (called on every
    Hardware made outside ``build``, e.g. by ``dataclasses.replace``)."""
    from accelsim.arch.load import build

    if hw.spec is None:
        raise ConfigError("a Hardware is made by accelsim.load_hw(...) or hw.derive({...}), not by hand")
    fresh = build(hw.spec, hw.path)
    for f in fields(hw):
        if f.compare and getattr(hw, f.name) != getattr(fresh, f.name):
            raise ConfigError(f"hardware {hw.name}: {f.name}={getattr(hw, f.name)!r} disagrees with its config "
                              f"({getattr(fresh, f.name)!r}); change a field with hw.derive({{'dotted.path': "
                              "value}), which recomputes area and energies")
