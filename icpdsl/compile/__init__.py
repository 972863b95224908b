"""Fast paths that must agree with the reference evaluator: Python, SQL, Polars.

Each back-end is its own module and imports its optional dependency lazily:

- `python`: a profile compiled to one Python function per record (`Profile.compile()`);
- `sql`: one `SELECT` per dialect through sqlglot (`Profile.to_sql()`, extra `sql`);
- `polars`: Polars expressions (`icpdsl.polars.score`, extra `polars`).

`icp eval --engine duckdb` is a batch engine: `icpdsl.batch.duckdb_engine`.
"""
