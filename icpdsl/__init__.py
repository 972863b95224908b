"""icpdsl: Ideal Customer Profiles as code — a language, an evaluator and its tools."""

from .errors import (
    Diagnostic,
    ICPCheckError,
    ICPError,
    ICPEvaluationError,
    ICPLimitError,
    ICPLoadError,
    ICPSyntaxError,
)
from .findings import check
from .formatter import format
from .limits import Limits
from .lint import lint
from .model import Document, Profile, load, loads
from .parser import parse
from .records import MISSING
from .result import Check, DocumentResult, Result, RuleOutcome, Verdict

__version__ = "0.1.0"

__all__ = [
    "MISSING",
    "Check",
    "Diagnostic",
    "Document",
    "DocumentResult",
    "ICPCheckError",
    "ICPError",
    "ICPEvaluationError",
    "ICPLimitError",
    "ICPLoadError",
    "ICPSyntaxError",
    "Limits",
    "Profile",
    "Result",
    "RuleOutcome",
    "Verdict",
    "check",
    "format",
    "lint",
    "load",
    "loads",
    "parse",
]
