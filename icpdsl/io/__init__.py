"""Readers and writers for account data: CSV, JSON Lines, JSON, Parquet."""

from .readers import Row, read_records

__all__ = ["Row", "read_records"]
