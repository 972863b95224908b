"""Validate and refine profiles against past outcomes: backtests, diffs and suggestions."""

from .history import Account, History, read_history
from .metrics import Validation, validate

__all__ = ["Account", "History", "Validation", "read_history", "validate"]
