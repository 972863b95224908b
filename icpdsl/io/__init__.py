"""Readers and writers for account data: CSV, JSON Lines, JSON, Parquet, terminal tables."""

from .formats import FORMATS
from .readers import RecordReader, open_records, read_records
from .rows import Row

__all__ = ["FORMATS", "RecordReader", "Row", "open_records", "read_records"]
