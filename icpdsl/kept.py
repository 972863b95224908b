"""How much the caches kept for a process's lifetime may hold, so memory stays small
whatever the data.

Hot paths remember what they worked out for a value that accounts repeat: a column
name's loose spelling (`records.loose_key`), list text's item keys
(`semantics.compare.item_keys`), a typed cell (`io.cells`), a rule's explanation for a
value (`compile.python`), a cell's outcomes (`batch.cell_memo`).  Each keeps at most
KEPT_ENTRIES entries and then starts afresh, and never text longer than
KEPT_TEXT_LENGTH: a column of distinct megabyte cells keeps nothing.
"""

from __future__ import annotations

from typing import Final

#: Entries a cache keeps before it starts afresh.
KEPT_ENTRIES: Final = 4096
#: The longest text (a cell, a name, a value; the cells of a key together) a cache keeps.
KEPT_TEXT_LENGTH: Final = 256
