"""Check cells for course assignments: compare a student's hand-computed numbers with accelsim's
and say exactly what is wrong (which quantity, by how much, and a hint for the usual mistake).

    from accelsim.teaching.checks import check_layer, check_network, check_value
    net = accelsim.load_network("alexnet")
    check_layer(net, "conv1", E=55, F=55, M=96, weights=34_848, biases=96, macs=105_415_200)

Every check prints one line per correct quantity and raises ``WrongAnswer`` (an
``AssertionError``, so a notebook stops at the first failed check and autograders count it) whose
message lists every wrong or missing quantity. An answer left as ``...`` (the student version's
placeholder) or ``None`` is reported as not answered. Counts are exact: a MAC count is a whole
number, and so is every weight.

Quantities of a layer (Eyeriss names, one sample unless the network's batch says otherwise):
``E``, ``F`` (output height, width), ``M`` (output channels, all groups), ``weights`` (G*M*C*R*S,
biases excluded), ``biases`` (one per output channel), ``params`` (weights + biases), ``macs``.
"""

from __future__ import annotations

from numbers import Number

QUANTITIES = ("E", "F", "M", "weights", "biases", "params", "macs")
NETWORK_QUANTITIES = ("weights", "biases", "params", "macs")

_FORMULA = {
    "E": "E = floor((H + pad_top + pad_bottom - R) / stride) + 1 (with dilation D: D*(R-1)+1 instead of R)",
    "F": "F = floor((W + pad_left + pad_right - S) / stride) + 1",
    "M": "the output has one channel per filter (a pooling layer keeps its input's channels)",
    "weights": "weights = G * M * C * R * S: every filter is R x S x C, and a grouped layer's filters "
               "see only the C = channels / G of their own group; biases are not weights",
    "biases": "one bias per output channel (0 if the layer has no bias, e.g. before a BatchNorm)",
    "params": "params = weights + biases",
    "macs": "MACs = N * M * E * F * C * R * S (times G for a grouped layer's C per group): one "
            "multiply-accumulate per weight per output pixel",
}


class WrongAnswer(AssertionError):
    """At least one answer differs from accelsim's; the message names each quantity."""


def _missing(answer) -> bool:
    return answer is None or answer is Ellipsis


def _fmt(v) -> str:
    if isinstance(v, bool) or not isinstance(v, Number):
        return repr(v)
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.4g}"
    return f"{int(v):,}"


def _diff(answer, expected) -> str:
    """'off by +3 (+5.5%)' or 'off by -1'."""
    d = answer - expected
    text = f"off by {'+' if d > 0 else '-'}{_fmt(abs(d))}"
    if expected:
        text += f" ({d / expected:+.1%})"
    return text


def _is_number(v) -> bool:
    return isinstance(v, Number) and not isinstance(v, bool)


def _layer_diagnosis(layer, quantity: str, answer) -> str:
    """A specific hint when ``answer`` is what a usual mistake gives for ``layer``; else ''."""
    l = layer
    if quantity in ("E", "F"):
        ax = 0 if quantity == "E" else 1
        size, k = (l.H, l.R) if ax == 0 else (l.W, l.S)
        u = l.stride[ax]
        pad = l.padding[0] + l.padding[1] if ax == 0 else l.padding[2] + l.padding[3]
        if not float(answer).is_integer():
            return "an output size is a whole number: round the division down"
        if pad and answer == (size - k) // u + 1:
            return f"you left out the padding ({pad} in total along this axis)"
        if u > 1 and answer == size + pad - k + 1:
            return f"you left out the stride ({u})"
        if answer == (size + pad - k) // u:
            return "you forgot the + 1 (the first window position)"
    if quantity == "M" and l.G > 1 and answer == l.M:
        return f"{l.name} has {l.G} groups: count the filters of every group (G * M)"
    if quantity == "weights" and l.is_mapped:
        if l.biases and answer == l.params:
            return "you counted the biases too; 'weights' leaves them out (that sum is params)"
        if l.G > 1 and answer == l.G * l.M * l.G * l.C * l.R * l.S:
            return f"{l.name} is grouped (G = {l.G}): each filter sees only C = {l.C} channels, not {l.G * l.C}"
        if answer == l.M * l.C * l.R * l.S and l.G > 1:
            return f"that is one group's weights; {l.name} has G = {l.G} groups"
    if quantity == "params" and l.is_mapped:
        if l.biases and answer == l.weights:
            return f"params include the {l.biases:,} biases (one per output channel)"
    if quantity == "macs" and l.is_mapped:
        if answer == 2 * l.macs:
            return "that counts FLOPs (a multiply and an add each); a MAC is one multiply-accumulate"
        if l.G > 1 and answer == l.macs * l.G:
            return f"{l.name} is grouped (G = {l.G}): each output sees only C = {l.C} input channels"
        if answer in (l.weights, l.params):
            return "that is the parameter count; each weight is used once per output pixel"
        if l.N > 1 and answer * l.N == l.macs:
            return f"that is one sample's MACs; the batch is N = {l.N}"
    return ""


def _report(subject: str, rows: list[tuple[str, object, object, str]]) -> None:
    """rows: (quantity, answer, expected, hint). Print the correct ones, raise for the rest."""
    wrong = []
    for quantity, answer, expected, hint in rows:
        quantity = f"{subject} {quantity}".strip()
        if _missing(answer):
            wrong.append(f"{quantity}: not answered yet (replace the ... with your number)")
        elif not _is_number(answer):
            wrong.append(f"{quantity}: expected a number, got {answer!r}")
        elif answer == expected:
            print(f"correct: {quantity} = {_fmt(expected)}")
        else:
            line = f"{quantity}: you gave {_fmt(answer)}, accelsim says {_fmt(expected)}, {_diff(answer, expected)}"
            wrong.append(line + (f". Hint: {hint}" if hint else ""))
    if wrong:
        raise WrongAnswer("\n".join(wrong))


def check_layer(net, layer_name: str, **answers) -> None:
    """Compare answers for one layer of ``net`` (a Network, e.g. ``accelsim.load_network``) with
    its shape and counts. Keywords: any of ``QUANTITIES``. Pooling layers have E, F and M too
    (and zero weights, biases, params and MACs)."""
    if not answers:
        raise TypeError("check_layer needs at least one answer, e.g. E=55")
    unknown = sorted(set(answers) - set(QUANTITIES))
    if unknown:
        raise TypeError(f"unknown quantity {', '.join(unknown)}; one of {', '.join(QUANTITIES)}")
    layer = net.layer(layer_name)
    actual = {"E": layer.E, "F": layer.F,
              "M": layer.out_channels if layer.is_mapped else layer.G * layer.M,
              "weights": layer.weights, "biases": layer.biases, "params": layer.params, "macs": layer.macs}
    rows = []
    for q in QUANTITIES:
        if q in answers:
            a = answers[q]
            specific = _layer_diagnosis(layer, q, a) if _is_number(a) and a != actual[q] else ""
            rows.append((q, a, actual[q], specific or _FORMULA[q]))
    _report(f"{net.name} {layer_name}", rows)


def check_network(net, **answers) -> None:
    """Compare whole-network totals (``weights``, ``biases``, ``params``, ``macs``: conv + fc
    layers, biases excluded from weights) with ``net``'s."""
    if not answers:
        raise TypeError("check_network needs at least one answer, e.g. macs=724_406_816")
    unknown = sorted(set(answers) - set(NETWORK_QUANTITIES))
    if unknown:
        raise TypeError(f"unknown quantity {', '.join(unknown)}; one of {', '.join(NETWORK_QUANTITIES)}")
    actual = {"weights": net.weights, "biases": net.biases, "params": net.params, "macs": net.macs}
    rows = []
    for q in NETWORK_QUANTITIES:
        if q in answers:
            a = answers[q]
            hint = ""
            if _is_number(a) and a != actual[q]:
                hint = _network_diagnosis(net, q, a)
            rows.append((q, a, actual[q], hint or f"sum the {q} of every conv and fc layer "
                                                    f"(accelsim layers {net.name} lists them per layer)"))
    _report(f"{net.name} total", rows)


def _network_diagnosis(net, quantity: str, answer) -> str:
    layers = net.mapped_layers
    if quantity == "macs":
        conv = sum(l.macs for l in layers if l.kind == "conv")
        if answer == conv:
            return "that is the conv layers only; add the fc layers' MACs"
        if answer == 2 * net.macs:
            return "that counts FLOPs (multiply and add); a MAC is one multiply-accumulate"
    if quantity in ("weights", "params"):
        conv = sum(getattr(l, quantity) for l in layers if l.kind == "conv")
        if answer == conv:
            return f"that is the conv layers only; the fc layers hold most of the {quantity}"
        if quantity == "weights" and answer == net.params:
            return "you counted the biases too; 'weights' leaves them out"
        if quantity == "params" and answer == net.weights:
            return f"params include the {net.biases:,} biases"
    return ""


def check_value(quantity: str, answer, expected, hint: str = "", rel_tol: float = 0.0) -> None:
    """Compare one number with ``expected`` (e.g. a ratio computed from accelsim's counts).
    ``rel_tol`` accepts a relative error (for ratios and rounded values); counts use 0."""
    if (rel_tol and _is_number(answer) and not _missing(answer) and expected
            and abs(answer - expected) <= rel_tol * abs(expected)):
        print(f"correct: {quantity} = {_fmt(answer)} (accelsim: {_fmt(expected)}, within {rel_tol:.0%})")
        return
    _report("", [(quantity, answer, expected, hint)])
