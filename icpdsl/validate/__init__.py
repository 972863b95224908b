"""Validate and refine profiles against past outcomes: backtests, diffs and suggestions."""

from .diff import DocumentDiff, diff_documents, impact
from .history import Account, DataRow, History, read_accounts, read_history
from .metrics import Validation, validate
from .suggest import Suggestion, suggest

__all__ = [
    "Account",
    "DataRow",
    "DocumentDiff",
    "History",
    "Suggestion",
    "Validation",
    "diff_documents",
    "impact",
    "read_accounts",
    "read_history",
    "suggest",
    "validate",
]
