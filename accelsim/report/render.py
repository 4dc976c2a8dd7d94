"""Render a DataFrame as a terminal table, CSV or JSON (deterministic text, stable column order)."""

from __future__ import annotations

import json
import math

import pandas as pd

from accelsim.errors import UsageError

FORMATS = ("table", "csv", "json")


def _json_default(value):
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _finite(value):
    """``value`` with every NaN / infinite float replaced by None (JSON has neither)."""
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def render(frame: pd.DataFrame, fmt: str, totals: str | None = None, meta: dict | None = None) -> str:
    """``table``: aligned columns plus a final totals line; ``csv``: header + rows;
    ``json``: {"meta": ..., "rows": [...]} with native numbers; NaN and infinities become null."""
    if fmt == "csv":
        return frame.to_csv(index=False, lineterminator="\n")
    if fmt == "json":
        rows = frame.to_dict(orient="records")
        doc = _finite({"meta": meta or {}, "rows": rows})
        return json.dumps(doc, indent=1, default=_json_default, allow_nan=False) + "\n"
    if fmt == "table":
        body = frame.to_string(index=False, float_format=lambda v: f"{v:.4g}") if len(frame) else "(no rows)"
        return body + "\n" + (f"{totals}\n" if totals else "")
    raise UsageError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
