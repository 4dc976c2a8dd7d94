"""The network zoo: every network the seed lecture notes discuss, one file per family in the
repository's ``workloads/`` folder (shipped as the ``accelsim.zoo`` package).

A zoo file registers builders with ``@zoo_network``::

    @zoo_network("alexnet", source="Krizhevsky et al., NIPS 2012", notes="...")
    def alexnet(batch: int = 1) -> Network: ...

Names are matched case-insensitively, ignoring '-', '_' and '.', so ``resnet-50`` and
``ResNet50`` are the same network.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from accelsim.errors import WorkloadError
from accelsim.workload.network import Network


@dataclass(frozen=True)
class ZooEntry:
    name: str
    build: Callable[..., Network]
    family: str
    source: str
    notes: str
    aliases: tuple[str, ...]


_REGISTRY: dict[str, ZooEntry] = {}
_KEYS: dict[str, str] = {}
_loaded = False


def _key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch not in "-_. ")


def zoo_network(name: str, source: str, notes: str = "", aliases: tuple[str, ...] = ()):
    """Decorator registering ``fn(batch=1) -> Network`` under ``name`` (and ``aliases``)."""

    def register(fn: Callable[..., Network]) -> Callable[..., Network]:
        family = fn.__module__.rsplit(".", 1)[-1]
        entry = ZooEntry(name, fn, family, source, notes, tuple(aliases))
        for alias in (name, *aliases):
            k = _key(alias)
            if k in _KEYS and _KEYS[k] != name:
                raise RuntimeError(f"zoo name {alias!r} registered twice ({_KEYS[k]} and {name})")
            _KEYS[k] = name
        _REGISTRY[name] = entry
        return fn

    return register


def _load_all() -> None:
    global _loaded
    if _loaded:
        return
    import accelsim.zoo as pkg

    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"accelsim.zoo.{info.name}")
    _loaded = True


def entries() -> list[ZooEntry]:
    """All zoo entries, sorted by family then name."""
    _load_all()
    return sorted(_REGISTRY.values(), key=lambda e: (e.family, e.name))


def names() -> list[str]:
    return [e.name for e in entries()]


def entry(name: str) -> ZooEntry:
    _load_all()
    k = _key(name)
    if k not in _KEYS:
        import difflib

        close = difflib.get_close_matches(name.lower(), [e.name for e in _REGISTRY.values()], n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else "; see `accelsim list networks`"
        raise WorkloadError(f"unknown network {name!r}{hint}")
    return _REGISTRY[_KEYS[k]]


def build(name: str, batch: int = 1) -> Network:
    """Build zoo network ``name`` at batch size ``batch``."""
    e = entry(name)
    net = e.build(batch=batch) if batch != 1 else e.build()
    return net if net.batch == batch else net.with_batch(batch)


def density_profile(name: str, profile: str) -> dict:
    """A zoo network's opt-in density profile {layer: {ifmap|weights|ofmap: density}} (the
    ``DENSITY_PROFILES`` of its zoo file, each cited there)."""
    import sys

    e = entry(name)
    profiles = getattr(sys.modules[e.build.__module__], "DENSITY_PROFILES", {})
    if profile not in profiles:
        known = ", ".join(profiles) or "none"
        raise WorkloadError(f"network {e.name} has no density profile {profile!r} (profiles: {known})")
    return profiles[profile]


def with_density_profile(net: Network, name: str, profile: str) -> Network:
    """``net`` with the densities of zoo network ``name``'s ``profile`` set on its layers."""
    from dataclasses import replace

    from accelsim.sparsity.density import Density

    table = density_profile(name, profile)
    layers = tuple(replace(layer, density=Density(**table[layer.name])) if layer.name in table else layer
                   for layer in net.layers)
    return replace(net, layers=layers)
