"""Where a sweep's evaluations run: local processes (default) or Dask distributed.

Work goes out in chunks (one hardware content, several (dataflow, loop nest) searches) sized to
take about ``TARGET_SECONDS`` each, enough to amortise the per-task overhead of a process pool or
a Dask scheduler (~0.2-1 ms) without holding back a result for long: the first chunks are small,
and each later one is sized from the measured seconds per unit of estimated work
(``mapping.mapper._mapspace_size``). Results are the same whatever the chunking, the executor or
the number of workers: each search is exact and deterministic, and the table is assembled in
spec order afterwards.

The numba cache is warmed once in the parent (one tiny search compiles and caches every kernel)
before any worker is sent work; workers run with ``NUMBA_NUM_THREADS=1`` (one search per process:
the processes are the parallelism) and load the compiled kernels from the cache.

``--workers K`` on the local executor means K processes search: this one (on a thread: the search
kernels release the GIL, and this process has its kernels loaded already) and K-1 spawned
workers. The workers are spawned, and import numba and the mapper, while this process warms its
kernels, so their start-up (about 1 CPU s each: numba's import and its first dispatch) overlaps it.
"""

from __future__ import annotations

import os
import time
from collections import deque
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

TARGET_SECONDS = 0.25
FIRST_CHUNK = 2  # evaluations in each first chunk, before any timing is known
WORKER_ENV = {"NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}


@dataclass(frozen=True)
class Job:
    """One evaluation: search ``nest`` on a hardware content under ``dataflow``."""

    key: str
    nest: tuple
    dataflow: str
    cost: float  # estimated work (for chunk sizing only)


def evaluate_chunk(hw, jobs: list, objective: str) -> list[dict]:
    """Run in a worker: search every job's nest on ``hw`` (on the calling thread), return one record per job
    with the stored fields of ``accelsim.dse.store``. The energy and cycles are those of
    ``simulate`` for the same layer (the same search and ``mapper._result``)."""
    from accelsim.errors import NoMappingError
    from accelsim.mapping import mapper
    from accelsim.mapping.dataflows import get_dataflow
    from accelsim.workload.layer import LoopNest

    out = []
    for job in jobs:
        nest = LoopNest(*job.nest)
        df = get_dataflow(job.dataflow)
        t0 = time.perf_counter()
        try:
            mapping, n_eval, _, exhaustive = mapper.search_nest(nest, hw, df, objective, parallel=False)
        except NoMappingError as exc:
            out.append({"key": job.key, "ok": 0, "energy": None, "cycles": None, "macs": None, "active_pes": None,
                        "mapping": None, "reason": str(exc), "evaluated": 0,
                        "seconds": time.perf_counter() - t0})
            continue
        counts, energy, mac_e, cycles, macs, steps, pes = mapper.evaluate(nest, hw, mapping, df)
        total = float(energy.sum() + float(mac_e))  # = LayerResult.energy_total
        out.append({"key": job.key, "ok": 1, "energy": total, "cycles": float(cycles), "macs": int(macs),
                    "active_pes": int(pes), "mapping": mapping.loop_text(), "reason": None, "evaluated": int(n_eval),
                    "seconds": time.perf_counter() - t0})
    return out


def warm_numba(hw) -> None:
    """Compile (or load from the on-disk cache) every kernel a search uses, in this process."""
    from accelsim.errors import NoMappingError
    from accelsim.mapping import mapper
    from accelsim.mapping.dataflows import get_dataflow
    from accelsim.workload.layer import Layer

    nest = Layer(name="warm", M=2, C=2, H=4, W=4, R=3, S=3).nest
    for df in ("rs", "ws"):
        try:
            mapping, *_ = mapper.search_nest(nest, hw, get_dataflow(df), "energy", parallel=False)
            mapper.evaluate(nest, hw, mapping, get_dataflow(df))
        except NoMappingError:
            continue


def _init_worker() -> None:
    """A spawned worker's start-up: one numba thread, and the mapper imported (numba with it) before
    any work arrives. No kernel runs here: the parent may still be compiling them into the cache."""
    os.environ.update(WORKER_ENV)
    import numba

    numba.set_num_threads(1)
    import accelsim.mapping.mapper  # noqa: F401


def _started() -> None:
    """A no-op task: submitting one per worker makes the pool spawn its workers now."""


@contextmanager
def _environ(extra: dict):
    old = {k: os.environ.get(k) for k in extra}
    os.environ.update(extra)
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


class _Chunker:
    """Cuts (hw, jobs) groups into chunks of about TARGET_SECONDS, learning seconds per unit of
    estimated cost from finished chunks."""

    def __init__(self, groups: list[tuple[object, list[Job]]]):
        self.queue = deque((hw, deque(jobs)) for hw, jobs in groups if jobs)
        self.rate = None  # seconds per unit of cost
        self.seconds = 0.0
        self.cost = 0.0

    def learn(self, cost: float, seconds: float) -> None:
        self.seconds += seconds
        self.cost += cost
        if self.cost > 0 and self.seconds > 0:
            self.rate = self.seconds / self.cost

    def next(self):
        while self.queue and not self.queue[0][1]:
            self.queue.popleft()
        if not self.queue:
            return None
        hw, jobs = self.queue[0]
        chunk, cost = [], 0.0
        while jobs:
            job = jobs[0]
            full = len(chunk) >= FIRST_CHUNK if self.rate is None else (cost + job.cost) * self.rate > TARGET_SECONDS
            if chunk and full:
                break
            chunk.append(jobs.popleft())
            cost += job.cost
        return hw, chunk, cost


class Session:
    """Runs chunks of evaluations; the process pool / Dask client is started at the first work and
    kept for later calls (an Optuna search evaluates batch after batch). Use as a context manager.

    ``executor``: 'local' (``workers`` processes, default all cores; 1 = in this process) or
    'dask' (``scheduler`` address, or a LocalCluster of ``workers`` processes)."""

    def __init__(self, executor: str = "local", workers: int | None = None, scheduler: str | None = None):
        from accelsim.errors import UsageError

        if executor not in ("local", "dask"):
            raise UsageError(f"unknown executor {executor!r}; expected local or dask")
        if scheduler and executor != "dask":
            raise UsageError("--scheduler needs --executor dask")
        if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
            raise UsageError(f"workers must be a positive integer, got {workers!r}")
        if executor == "dask":
            try:
                import distributed  # noqa: F401
            except ImportError:
                raise UsageError("--executor dask needs Dask distributed: pip install 'accelsim[dask]'") from None
        self.executor, self.scheduler = executor, scheduler
        self.workers = workers or (None if executor == "dask" and scheduler else (os.cpu_count() or 1))
        self._pool = self._thread = self._client = self._cluster = None
        self._env = None
        self._warm = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        if self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=True)
            self._thread = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if self._env is not None:
            self._env.__exit__(None, None, None)
            self._env = None

    def run(self, groups: list[tuple[object, list[Job]]], objective: str,
            on_done: Callable[[list[dict]], None]) -> None:
        """Evaluate every job of every (hw, jobs) group; call ``on_done(records)`` in this process
        as each chunk finishes (the caller stores them)."""
        if not any(jobs for _, jobs in groups):
            return
        if self.executor == "local" and self.workers > 1 and self._pool is None:
            self._spawn()  # the workers start up while this process warms its kernels
        if not self._warm:
            warm_numba(groups[0][0])  # before any worker gets work: they load the cached kernels
            self._warm = True
        chunker = _Chunker(groups)
        if self.executor == "local" and self.workers == 1:
            while (nxt := chunker.next()) is not None:
                hw, chunk, cost = nxt
                records = evaluate_chunk(hw, chunk, objective)
                chunker.learn(cost, sum(r["seconds"] for r in records))
                on_done(records)
            return
        if self.executor == "local":
            submit, wait_any, slots = self._local()
        else:
            submit, wait_any, slots = self._dask()
        _drive(chunker, lambda hw, chunk: submit(evaluate_chunk, hw, chunk, objective), wait_any, slots, on_done)

    def _spawn(self) -> None:
        """Start the K-1 worker processes and the thread on which this process searches too."""
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

        # spawned workers inherit the environment and read it when they import numba; spawn, not
        # fork: this process's numba threads may be running
        self._env = _environ(WORKER_ENV)
        self._env.__enter__()
        self._pool = ProcessPoolExecutor(max_workers=self.workers - 1, mp_context=multiprocessing.get_context("spawn"),
                                         initializer=_init_worker)
        for _ in range(self.workers - 1):
            self._pool.submit(_started)
        self._thread = ThreadPoolExecutor(max_workers=1)

    def _local(self):
        """submit / wait_any / slots over this process's thread and the spawned workers (``run``
        spawned them): each takes at most two chunks in flight (one running, one queued), the
        thread first."""
        from concurrent.futures import FIRST_COMPLETED, wait

        queued = {self._thread: 0, self._pool: 0}
        capacity = {self._thread: 2, self._pool: 2 * (self.workers - 1)}
        owner = {}

        def submit(fn, *args):
            pool = self._thread if queued[self._thread] < capacity[self._thread] else self._pool
            fut = pool.submit(fn, *args)
            queued[pool] += 1
            owner[fut] = pool
            return fut

        def wait_any(futs):
            done = wait(futs, return_when=FIRST_COMPLETED).done
            for fut in done:
                queued[owner.pop(fut)] -= 1
            return done

        return submit, wait_any, 2 * self.workers

    def _dask(self):
        from distributed import Client, LocalCluster, wait

        from accelsim.errors import UsageError

        if self._client is None:
            if self.scheduler:
                try:
                    self._client = Client(self.scheduler, timeout="20s")
                except (OSError, TimeoutError, ValueError) as exc:
                    raise UsageError(f"cannot reach the Dask scheduler at {self.scheduler}: {exc}") from None
            else:
                self._cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True,
                                             dashboard_address=None, env=dict(WORKER_ENV))
                self._client = Client(self._cluster)
        n = len(self._client.scheduler_info().get("workers", {})) or self.workers or 1
        client = self._client
        return (lambda fn, *a: client.submit(fn, *a, pure=False),
                lambda futs: wait(futs, return_when="FIRST_COMPLETED").done, 2 * n)


def _drive(chunker: _Chunker, submit, wait_any, slots: int, on_done) -> None:
    """Keep ``slots`` chunks in flight; as each finishes, store it and send the next."""
    inflight: dict = {}

    def fill():
        while len(inflight) < slots:
            nxt = chunker.next()
            if nxt is None:
                return
            hw, chunk, cost = nxt
            inflight[submit(hw, chunk)] = cost

    fill()
    while inflight:
        for fut in wait_any(list(inflight)):
            cost = inflight.pop(fut)
            records = fut.result()
            chunker.learn(cost, sum(r["seconds"] for r in records))
            on_done(records)
        fill()


def estimated_cost(nest) -> float:
    from accelsim.mapping.mapper import _mapspace_size

    return float(_mapspace_size(nest))
