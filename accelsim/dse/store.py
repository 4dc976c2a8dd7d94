"""The sweep result store: one SQLite file (standard library ``sqlite3``, WAL journal).

Table ``evaluations`` has one row per finished evaluation of one layer loop nest on one hardware
content under one dataflow and objective, keyed by a content hash of (loop nest, hardware content,
dataflow, objective, model version); rows are committed as their chunk finishes, so a killed sweep
keeps everything it finished. Table ``sweeps`` keeps each finished sweep's result table (JSON) so
``accelsim plot pareto --db FILE`` needs only the file.

A file is only ever opened for writing when it is new, empty, or carries accelsim's marker
(``PRAGMA application_id`` = ``APP_ID`` and ``user_version`` = ``SCHEMA``); the marker is read
from the 100-byte SQLite header before SQLite touches the file, so a foreign or corrupt file is
refused with one line and left byte for byte as it was.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
from pathlib import Path

from accelsim.errors import ConfigError

APP_ID = 0x41434353  # "ACCS"
SCHEMA = 1
MAGIC = b"SQLite format 3\x00"

_DDL = """
CREATE TABLE IF NOT EXISTS evaluations (
    key TEXT PRIMARY KEY,        -- sha256 of (nest, hw, dataflow, objective, model)
    nest TEXT NOT NULL,          -- the loop nest N,G,M,C,E,F,R,S,Uh,Uw,Dh,Dw
    hw TEXT NOT NULL,            -- hardware content hash (accelsim.dse.keys.hw_key)
    dataflow TEXT NOT NULL,
    objective TEXT NOT NULL,
    model TEXT NOT NULL,         -- accelsim.dse.keys.model_version()
    ok INTEGER NOT NULL,         -- 1: mapped; 0: no legal mapping (reason says why)
    energy REAL,                 -- total energy of the layer, in the hardware's energy unit
    cycles REAL,
    macs INTEGER,                -- MACs the hardware executes
    active_pes INTEGER,
    mapping TEXT,
    reason TEXT,
    evaluated INTEGER,           -- mappings the search evaluated
    seconds REAL                 -- search time (not part of any result table)
);
CREATE TABLE IF NOT EXISTS hardware (hw TEXT PRIMARY KEY, config TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sweeps (
    spec TEXT PRIMARY KEY,       -- sha256 of the resolved spec
    spec_json TEXT NOT NULL,
    finished INTEGER NOT NULL,   -- insertion counter: the latest sweep has the largest
    table_json TEXT NOT NULL
);
"""

FIELDS = ("ok", "energy", "cycles", "macs", "active_pes", "mapping", "reason", "evaluated", "seconds")


def _refuse(path: Path, why: str):
    raise ConfigError(f"--db {path}: {why}; refusing to use it (the file is left untouched)")


def check_file(path: Path) -> bool:
    """True when ``path`` is an accelsim database, False when it does not exist or is empty;
    ConfigError for anything else (not a regular file, not SQLite, another application's)."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return False
    except OSError as exc:
        _refuse(path, f"cannot inspect it ({exc.strerror or exc})")
    if not stat.S_ISREG(st.st_mode):
        _refuse(path, "not a regular file")
    if st.st_size == 0:
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(100)
    except OSError as exc:
        _refuse(path, f"cannot read it ({exc.strerror or exc})")
    if len(head) < 100 or not head.startswith(MAGIC):
        _refuse(path, "not an SQLite database")
    app = int.from_bytes(head[68:72], "big")
    version = int.from_bytes(head[60:64], "big")
    if app != APP_ID:
        _refuse(path, "an SQLite database of another application (not an accelsim sweep store)")
    if version > SCHEMA:
        _refuse(path, f"written by a newer accelsim (store schema {version}, this one reads {SCHEMA})")
    return True


class Store:
    """Open (or create) a sweep database. Use as a context manager or call ``close``."""

    def __init__(self, path, readonly: bool = False):
        self.path = Path(path)
        exists = check_file(self.path)
        if readonly and not exists:
            raise ConfigError(f"--db {self.path}: no such accelsim database")
        try:
            if readonly:
                self.con = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=60)
            else:
                self.con = sqlite3.connect(self.path, timeout=60)
                if not exists:
                    # the marker is committed in rollback-journal mode, so it is in the main file's
                    # header (which check_file reads) before WAL mode starts; a kill before this
                    # commit leaves an empty file (or a hot journal SQLite rolls back): a new store
                    self.con.executescript(f"BEGIN; PRAGMA application_id={APP_ID}; PRAGMA user_version={SCHEMA};"
                                           f"{_DDL} COMMIT;")
                else:
                    self.con.executescript(_DDL)  # idempotent
                self.con.execute("PRAGMA journal_mode=WAL")
                self.con.execute("PRAGMA synchronous=NORMAL")
            self.con.execute("SELECT count(*) FROM evaluations").fetchone()
        except sqlite3.DatabaseError as exc:
            raise ConfigError(f"--db {self.path}: unreadable accelsim database ({exc})") from None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self.con.close()

    # ---- evaluations -----------------------------------------------------------------------
    def count(self) -> int:
        return self.con.execute("SELECT count(*) FROM evaluations").fetchone()[0]

    def known(self, keys) -> set[str]:
        """The subset of ``keys`` already stored."""
        keys = list(keys)
        out: set[str] = set()
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            marks = ",".join("?" * len(part))
            out.update(r[0] for r in self.con.execute(f"SELECT key FROM evaluations WHERE key IN ({marks})", part))
        return out

    def fetch(self, keys) -> dict[str, dict]:
        """key -> {field: value} for the stored keys among ``keys``."""
        keys = list(keys)
        out = {}
        cols = ", ".join(FIELDS)
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            marks = ",".join("?" * len(part))
            for row in self.con.execute(f"SELECT key, {cols} FROM evaluations WHERE key IN ({marks})", part):
                out[row[0]] = dict(zip(FIELDS, row[1:], strict=True))
        return out

    def put(self, records) -> None:
        """Store finished evaluations (each a dict with key, nest, hw, dataflow, objective, model
        and FIELDS) in one transaction."""
        cols = ("key", "nest", "hw", "dataflow", "objective", "model", *FIELDS)
        sql = f"INSERT OR IGNORE INTO evaluations ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        with self.con:
            self.con.executemany(sql, [tuple(r[c] for c in cols) for r in records])

    def put_hardware(self, items: dict[str, str]) -> None:
        with self.con:
            self.con.executemany("INSERT OR IGNORE INTO hardware (hw, config) VALUES (?, ?)", items.items())

    # ---- finished sweeps -------------------------------------------------------------------
    def put_sweep(self, spec_json: str, table_json: str) -> None:
        key = hashlib.sha256(spec_json.encode()).hexdigest()
        with self.con:
            n = self.con.execute("SELECT coalesce(max(finished), 0) + 1 FROM sweeps").fetchone()[0]
            self.con.execute("INSERT OR REPLACE INTO sweeps (spec, spec_json, finished, table_json) "
                             "VALUES (?, ?, ?, ?)", (key, spec_json, n, table_json))

    def last_sweep(self) -> tuple[dict, str] | None:
        """(spec, table JSON in pandas 'split' orient) of the most recently finished sweep."""
        row = self.con.execute("SELECT spec_json, table_json FROM sweeps ORDER BY finished DESC LIMIT 1").fetchone()
        return None if row is None else (json.loads(row[0]), row[1])
