"""Benchmarks: one command each (see docs/performance.md)."""
