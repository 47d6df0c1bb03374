"""minloop: a small pure-Python event loop shaped like CPython's asyncio (in progress)."""
