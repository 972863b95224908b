"""The local playground behind `icp serve`: an editor, live scores and explanations.

`Playground` holds the state and does what each API call asks; `server` puts it on a
local HTTP server with a token and Host/Origin checks; `static/` holds the page, with a
vendored CodeMirror 5.  Standard library only: nothing to install.
"""

from .accounts import Accounts, read_accounts
from .playground import Playground, PlaygroundError
from .server import PlaygroundServer, bind

__all__ = ["Accounts", "Playground", "PlaygroundError", "PlaygroundServer", "bind", "read_accounts"]
