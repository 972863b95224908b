"""Fast paths that must agree with the reference evaluator: Python, SQL, Polars, DuckDB.

Each back-end is its own module and imports its optional dependency lazily:

- `python`: a profile compiled to one Python function per record (`Profile.compile()`);
- `sql`: one `SELECT` per dialect through sqlglot (`Profile.to_sql()`, extra `sql`);
- `polars`: Polars expressions (`icpdsl.polars.score`, extra `polars`);
- `duckdb_engine`: a CSV file's rows scored with DuckDB, each rule judged once per
  distinct combination of its cells (`icp eval --engine duckdb`, extra `duckdb`).
"""
