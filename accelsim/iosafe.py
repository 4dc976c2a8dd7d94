"""Safe file output: write to a temporary file in the target's folder, then rename over the
target, so an interrupted write never leaves a half-written file and the old file survives.

Only a regular file (or a new path) is replaced that way. A target that exists and is something
else -- a device such as /dev/null or /dev/stdout, a FIFO, a socket -- is written directly, as a
shell redirection would, and never replaced (a rename over /dev/null run as root would turn the
device node into a regular file). A folder, or an empty path, is refused with ``IsADirectoryError``
/ ``FileNotFoundError`` before anything is written."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_path(target: str | os.PathLike, suffix: str = ""):
    """Yield a temporary path next to ``target``; on success rename it over ``target``.
    On any exception the temporary file is removed and ``target`` is left untouched. The result
    has the permissions a plain ``open(target, "w")`` would give it: the old file's if it existed,
    else 0o666 less the umask (``mkstemp`` alone would leave it private, 0o600)."""
    if special_target(target):
        raise IsADirectoryError(errno.EINVAL, "not a regular file; cannot replace it atomically", str(target))
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix or target.suffix, dir=folder)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _mode_for(target: Path) -> int:
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def special_target(target: str | os.PathLike) -> bool:
    """True if ``target`` exists and is not a regular file (a device, FIFO or socket): write it
    directly, never rename over it. Raises for a folder or an empty path."""
    if not str(target):
        raise FileNotFoundError(errno.ENOENT, "empty path", str(target))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(target))
    return not stat.S_ISREG(mode)


def atomic_write_bytes(target: str | os.PathLike, data: bytes) -> None:
    """Write ``data`` to ``target`` atomically (flushed to disk before the rename); a device or
    FIFO target is written directly (see the module doc)."""
    if special_target(target):
        with open(target, "wb") as fh:
            fh.write(data)
        return
    with atomic_path(target) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())


def atomic_write_text(target: str | os.PathLike, text: str) -> None:
    """Write ``text`` (UTF-8, newlines as given) to ``target`` atomically."""
    atomic_write_bytes(target, text.encode("utf-8"))
