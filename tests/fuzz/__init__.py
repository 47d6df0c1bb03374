"""Differential fuzzing: random asyncio programs, run on asyncio and on minloop, traces compared.

- ``programs.py``: hypothesis strategies that write a random asyncio program (program text).
- ``run.py``: runs a program on both backends (a persistent worker process per backend, a fresh
  loop per program, a virtual or a real clock) and compares what they print; also the CLI
  ``python -m tests.fuzz.run --examples N [--seed S]``.
- ``tests/test_fuzz.py``: a bounded, derandomized run in the normal test suite, and one
  regression test per divergence found.
"""
