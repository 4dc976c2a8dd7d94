"""Design-space sweeps: spec, executors (local processes, Dask), SQLite result store."""
