"""Batch scoring: engines turn input Rows into ScoredRows; summaries and views of them."""

from .engine import ENGINES, Engine, EngineOptions, python_engine
from .rows import ProfileScore, RuleRef, ScoredRow

__all__ = [
    "ENGINES",
    "Engine",
    "EngineOptions",
    "ProfileScore",
    "RuleRef",
    "ScoredRow",
    "python_engine",
]
