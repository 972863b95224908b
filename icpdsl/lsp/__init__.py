"""The ICP language server (`icp lsp`): diagnostics, hover, completion, navigation,
symbols, folding, formatting, quick fixes and code lenses for `.icp` files.

Needs the `lsp` extra (pygls).  `server.py` wires the protocol to the feature modules;
each feature is a plain function of an `Analysis` (one version of one file), so it can
be tested without a client.
"""
