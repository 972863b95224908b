"""Suite-wide pytest setup."""

# pytester runs pytest inside tests/plugin (pytest allows `pytest_plugins` only in a
# top-level conftest).
pytest_plugins = ["pytester"]
