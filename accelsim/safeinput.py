"""Hostile-input hardening shared by every file reader (workload tables, Timeloop, SCALE-Sim,
ONNX, hardware YAML): one place that decides what a readable input is.

- ``read_regular_file``: regular files only (a FIFO, a device such as a symlink to /dev/zero, or a
  folder is refused without blocking: the file is opened with ``O_NONBLOCK`` and checked with
  ``fstat`` before a byte is read), at most ``MAX_TEXT_BYTES`` (``MAX_ONNX_BYTES`` for ONNX).
- ``load_yaml_all`` / ``load_yaml``: PyYAML's safe loader without aliases (a 600-byte "billion
  laughs" document expands to gigabytes), refusing duplicate mapping keys (PyYAML keeps the last
  one silently), with at most ``MAX_NESTING`` levels and integers of at most ``MAX_INT_DIGITS``
  digits (Python refuses to convert more than 4,300 digits with a ValueError).
- ``load_json``: the same nesting and integer limits for JSON.
- ``parse_int_text``: a decimal integer from text, its length checked before ``int()``.
- ``csv_rows``: ``csv.reader`` over text with CR, LF or CRLF line ends, every CSV error as one line.

Every refusal raises the caller's error type (``WorkloadError``, ``ConfigError``) with one line
naming the file and the problem. The limits are documented in docs/troubleshooting.md.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat

import yaml

MAX_TEXT_BYTES = 16 * 1024 * 1024  # a workload table / Timeloop problem / hardware config
MAX_ONNX_BYTES = 1024 * 1024 * 1024  # an ONNX model with its weights (protobuf's own limit is 2 GiB)
MAX_NESTING = 64  # levels of YAML / JSON nesting (the formats accelsim reads use fewer than 8)
MAX_INT_DIGITS = 30  # digits of one integer literal (every accelsim limit has fewer than 20)
MAX_CSV_FIELD = 64 * 1024  # characters of one CSV field

_INT = re.compile(r"\s*[-+]?\d+\s*")


class InputRefused(ValueError):
    """Raised by the helpers here; callers re-raise it as their own typed error."""


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_file(path: str | os.PathLike, max_bytes: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``; ``InputRefused`` otherwise (never blocks)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputRefused(f"cannot read ({exc.strerror or exc})") from None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputRefused(f"is {_kind(st.st_mode)}, not a regular file")
        if st.st_size > max_bytes:
            raise InputRefused(f"{st.st_size:,} bytes is larger than accelsim's limit of {max_bytes:,} bytes")
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > max_bytes:  # the file grew while we read it
                raise InputRefused(f"larger than accelsim's limit of {max_bytes:,} bytes")
        return b"".join(chunks)
    except OSError as exc:
        raise InputRefused(f"cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)


def check_regular_file(path: str | os.PathLike, max_bytes: int = MAX_TEXT_BYTES) -> None:
    """``InputRefused`` unless ``path`` is a regular file of at most ``max_bytes`` (for readers that
    open the file themselves, e.g. onnx.load)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputRefused(f"cannot read ({exc.strerror or exc})") from None
    if not stat.S_ISREG(st.st_mode):
        raise InputRefused(f"is {_kind(st.st_mode)}, not a regular file")
    if st.st_size > max_bytes:
        raise InputRefused(f"{st.st_size:,} bytes is larger than accelsim's limit of {max_bytes:,} bytes")


def parse_int_text(text: str) -> int | None:
    """A decimal integer (optional sign and surrounding blanks) or None if ``text`` is not one;
    ``InputRefused`` for more than ``MAX_INT_DIGITS`` digits (checked before ``int()``)."""
    if not _INT.fullmatch(text):
        return None
    digits = sum(ch.isdigit() for ch in text)
    if digits > MAX_INT_DIGITS:
        raise InputRefused(f"an integer of {digits:,} digits is too large (at most {MAX_INT_DIGITS})")
    return int(text)


# ---- YAML -------------------------------------------------------------------------------------
class _Refused(yaml.YAMLError):
    def __init__(self, problem: str, mark=None):
        super().__init__(problem)
        self.problem = problem
        self.problem_mark = mark


class StrictSafeLoader(yaml.SafeLoader):
    """``yaml.SafeLoader`` without aliases, with duplicate keys refused, nesting and integer
    literals bounded."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise _Refused("aliases (*name) are not allowed", self.peek_event().start_mark)
        self._depth += 1
        try:
            if self._depth > MAX_NESTING:
                raise _Refused(f"nested deeper than {MAX_NESTING} levels", self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    continue  # a complex key: the base class refuses the unhashable ones
                key = self.construct_object(key_node)
                try:
                    if key in seen:
                        raise _Refused(f"duplicate key {key!r}", key_node.start_mark)
                    seen.add(key)
                except TypeError:
                    continue
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > MAX_INT_DIGITS:
            raise _Refused(f"an integer of {digits:,} digits is too large (at most {MAX_INT_DIGITS})",
                           node.start_mark)
        return super().construct_yaml_int(node)


StrictSafeLoader.add_constructor("tag:yaml.org,2002:int", StrictSafeLoader.construct_yaml_int)
StrictSafeLoader.add_constructor("tag:yaml.org,2002:map", StrictSafeLoader.construct_yaml_map)


def _yaml_message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
    problem = getattr(exc, "problem", None) or "invalid YAML"
    if isinstance(exc, _Refused):
        return f"YAML{at}: {problem}"
    return f"YAML syntax error{at}: {problem}"


def load_yaml_all(text: str) -> list:
    """Every non-empty document of ``text``; ``InputRefused`` with a one-line reason otherwise."""
    try:
        loader = StrictSafeLoader(text)  # the reader refuses control characters here already
    except yaml.YAMLError as exc:
        raise InputRefused(_yaml_message(exc)) from None
    try:
        docs = []
        while loader.check_data():
            doc = loader.get_data()
            if doc is not None:
                docs.append(doc)
        return docs
    except yaml.YAMLError as exc:
        raise InputRefused(_yaml_message(exc)) from None
    except RecursionError:
        raise InputRefused(f"YAML nested deeper than {MAX_NESTING} levels") from None
    finally:
        loader.dispose()


def load_yaml(text: str):
    """The single document of ``text`` (None if empty); more than one document is refused."""
    docs = load_yaml_all(text)
    if len(docs) > 1:
        raise InputRefused(f"expected one YAML document, found {len(docs)}")
    return docs[0] if docs else None


# ---- JSON -------------------------------------------------------------------------------------
def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise InputRefused(f"an integer of {len(text.lstrip('-')):,} digits is too large (at most {MAX_INT_DIGITS})")
    return int(text)


def _json_depth_ok(text: str) -> bool:
    """True if brackets nest at most MAX_NESTING deep (outside strings), checked before parsing."""
    depth = 0
    in_str = escape = False
    for ch in text:
        if in_str:
            if escape:
                escape = False
            elif ch == "\\":
                escape = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_NESTING:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def load_json(text: str):
    """The parsed JSON document; ``InputRefused`` (one line) on a syntax error, nesting deeper
    than ``MAX_NESTING`` or an integer longer than ``MAX_INT_DIGITS`` digits."""
    if not _json_depth_ok(text):
        raise InputRefused(f"JSON nested deeper than {MAX_NESTING} levels")
    try:
        return json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise InputRefused(f"JSON syntax error at line {exc.lineno}: {exc.msg}") from None
    except RecursionError:
        raise InputRefused(f"JSON nested deeper than {MAX_NESTING} levels") from None


# ---- CSV --------------------------------------------------------------------------------------
def normalize_newlines(text: str) -> str:
    """CRLF and lone CR (old Mac) line ends as LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def csv_rows(text: str):
    """Yield (line number, cells) of CSV ``text`` (any line ends); ``InputRefused`` naming the
    line for a malformed row or a field longer than ``MAX_CSV_FIELD`` characters."""
    reader = csv.reader(io.StringIO(normalize_newlines(text)))
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InputRefused(f"line {reader.line_num}: malformed CSV ({exc})") from None
        if any(len(c) > MAX_CSV_FIELD for c in cells):
            raise InputRefused(f"line {reader.line_num}: a field longer than {MAX_CSV_FIELD:,} characters")
        yield reader.line_num, cells
