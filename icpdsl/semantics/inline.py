"""The kernel's rules for exact Python types, as expressions compiled code inlines.

Calling a function per predicate would cost more than the comparison, so for the
classes records hold most (int, float, str, date, bool, list) the compiled code inlines
these expressions; for every other value it calls the predicate's test
(semantics/predicates.py).  Each template reads `{v}`, the value a record holds; where
its guard holds, its expression decides exactly what the kernel's function does
(the equivalence tests in tests/property/test_equivalence.py hold the compiled code to
the reference evaluator on typed and odd values alike).
"""

from __future__ import annotations

from typing import Final

#: A number the kernel compares as it is: an int or a float that is not NaN (missing).
NUMBER_GUARD: Final = "({v}.__class__ is int or ({v}.__class__ is float and {v} == {v}))"
#: Text that is not blank (blank is missing), its key (`text_key`) bound to `w`.
TEXT_GUARD: Final = "{v}.__class__ is str and (w := {v}.strip().casefold())"
#: The key TEXT_GUARD bound.
TEXT_KEY: Final = "w"
#: A date (not a datetime, which the kernel reads as its date).
DATE_GUARD: Final = "{v}.__class__ is DATE"
BOOL_GUARD: Final = "{v}.__class__ is bool"
#: A plain list, and the keys of its items (`item_key` inline for text items).
LIST_GUARD: Final = "{v}.__class__ is list"
#: The key of one list item, `x`.
ITEM_KEY_OF: Final = "x.strip().casefold() if x.__class__ is str else ITEM_KEY(x)"
LIST_KEYS: Final = "[" + ITEM_KEY_OF + " for x in {v}]"
#: Any other list-like value or list text, keyed by `item_keys` (bound to `K`).
ITEM_KEYS_GUARD: Final = "(K := ITEM_KEYS({v})) is not None"
ITEM_KEYS: Final = "K"
