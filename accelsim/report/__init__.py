"""Reports: result types -> pandas DataFrames, text/CSV/JSON rendering, reuse metrics, plots."""
