"""icpdsl: Ideal Customer Profiles as code — a language, an evaluator and its tools."""

from .document import Document, Profile
from .errors import (
    Diagnostic,
    ICPCheckError,
    ICPError,
    ICPLimitError,
    ICPLoadError,
    ICPMissingExtraError,
    ICPSyntaxError,
    ICPUnsupportedError,
)
from .findings import check, lint
from .formatter import format
from .limits import Limits
from .loader import load, loads
from .parser import parse
from .records import MISSING
from .result import DocumentResult, PredicateOutcome, Result, RuleOutcome, Verdict

__version__ = "0.1.0"

__all__ = [
    "MISSING",
    "Diagnostic",
    "Document",
    "DocumentResult",
    "ICPCheckError",
    "ICPError",
    "ICPLimitError",
    "ICPLoadError",
    "ICPMissingExtraError",
    "ICPSyntaxError",
    "ICPUnsupportedError",
    "Limits",
    "PredicateOutcome",
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
