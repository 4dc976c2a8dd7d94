"""The network zoo: every network the seed lecture notes discuss, one file per family in the
repository's ``workloads/`` folder (shipped as the ``accelsim.zoo`` package).

A zoo file registers builders with ``@zoo_network``::

    @zoo_network("alexnet", source="Krizhevsky et al., NIPS 2012", notes="...")
    def alexnet(batch: int = 1) -> Network: ...

Names are matched case-insensitively, ignoring '-', '_' and '.', so ``resnet-50`` and
``ResNet50`` are the same network.

Input size: a builder that takes ``input_shape=None`` (C, H, W) can be built at other sizes than
its paper's (``build(name, input_shape=(3, 160, 160))``). Networks whose head is global pooling
(ResNet, MobileNet, SqueezeNet, ...) or that are fully convolutional take any size their layers
fit; a network whose fully connected layers read a fixed feature map (AlexNet, VGG) takes only
sizes that give its fc layers the same input, and names the sizes that do otherwise. The paper's
shape checks (``expect=``) apply at the paper's size only; the network's name gets ``@CxHxW``.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, replace

from accelsim.errors import ShapeError, WorkloadError
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


def accepts_input_shape(e: ZooEntry) -> bool:
    """True if the entry's builder can build other input sizes (takes ``input_shape``)."""
    return "input_shape" in inspect.signature(e.build).parameters


def shape_text(shape) -> str:
    return "x".join(str(v) for v in shape)


def parse_shape(value) -> tuple[int, int, int]:
    """'3x224x224', (3, 224, 224) or [3, 224, 224] -> (C, H, W) of positive integers."""
    parts = value.lower().replace(" ", "").split("x") if isinstance(value, str) else value
    try:
        shape = tuple(parts)
        ok = len(shape) == 3 and all(
            (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, str) and v.isdigit()) for v in shape)
        shape = tuple(int(v) for v in shape) if ok else ()
    except TypeError:
        ok, shape = False, ()
    if not ok or any(v <= 0 for v in shape):
        raise WorkloadError(f"an input size is C x H x W, three positive integers such as 3x224x224; got {value!r}")
    return shape


def build(name: str, batch: int = 1, input_shape=None) -> Network:
    """Build zoo network ``name`` at batch size ``batch``, and at input ``input_shape`` (C, H, W;
    default: the paper's) if its architecture allows that size (see the module doc)."""
    e = entry(name)
    net = e.build(batch=batch) if batch != 1 else e.build()
    net = net if net.batch == batch else net.with_batch(batch)
    if input_shape is None:
        return net
    shape = parse_shape(input_shape)
    if shape == net.input_shape:
        return net
    if not accepts_input_shape(e):
        raise WorkloadError(f"{e.name} is built for its {shape_text(net.input_shape)} input only; "
                            "it takes no other input size")
    resized = _build_at(e, batch, shape)
    _check_fc_inputs(e, net, resized, shape)
    resized = resized if resized.batch == batch else resized.with_batch(batch)
    notes = f"Built at input {shape_text(shape)}, not the source's {shape_text(net.input_shape)}"
    source_notes = net.notes or e.notes
    notes += f"; the zoo's notes (for {shape_text(net.input_shape)}): {source_notes}" if source_notes else "."
    return replace(resized, name=f"{net.name}@{shape_text(shape)}", notes=notes)


def _build_at(e: ZooEntry, batch: int, shape: tuple[int, int, int]) -> Network:
    try:
        return e.build(batch=batch, input_shape=shape)
    except ShapeError as exc:
        raise WorkloadError(f"{e.name} at input {shape_text(shape)}: {exc}") from None


def _fc_inputs(net: Network) -> dict[str, tuple[int, int, int]]:
    return {layer.name: (layer.C, layer.H, layer.W) for layer in net.layers if layer.kind == "fc"}


def _check_fc_inputs(e: ZooEntry, default: Network, resized: Network, shape) -> None:
    """A fixed fc layer must see the feature map it was built for (its weights depend on it)."""
    want, got = _fc_inputs(default), _fc_inputs(resized)
    for layer, fc_in in want.items():
        if got.get(layer, fc_in) != fc_in:
            raise WorkloadError(
                f"{e.name} has fully connected layers sized for its {shape_text(default.input_shape)} input: "
                f"{layer} reads {shape_text(fc_in)}, input {shape_text(shape)} gives {shape_text(got[layer])}; "
                f"{_accepted_sizes(e, default, want)}")


def _accepted_sizes(e: ZooEntry, default: Network, want) -> str:
    """Which square sizes near the default keep every fc input (H and W are independent)."""
    c, h, _ = default.input_shape
    ok = []
    for n in range(max(1, h - 64), h + 65):
        try:
            net = e.build(input_shape=(c, n, n))
        except (ShapeError, WorkloadError):
            continue
        if _fc_inputs(net) == want:
            ok.append(n)
    runs, start = [], None
    for i, n in enumerate(ok):
        if start is None:
            start = n
        if i + 1 == len(ok) or ok[i + 1] != n + 1:
            runs.append(f"{start}" if start == n else f"{start} to {n}")
            start = None
    return (f"H and W may each be {', '.join(runs)}" if runs
            else f"only its {shape_text(default.input_shape)} input keeps them")


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
