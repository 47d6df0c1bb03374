"""Worker functions for chapter 09's process pool.

A ProcessPoolExecutor sends a function to a worker process by *name* (pickle stores
``module.function``), so the function must be importable there: a function defined in a
notebook cell lives in the kernel's ``__main__`` and a fresh worker cannot find it. These
live in a module beside the notebook instead.
"""

import os


def cpu_bound(n):
    "CPU-bound work: the sum of i*i below n (pure Python: it holds the GIL all along)."
    return sum(i * i for i in range(n))


def whoami(_=None):
    "The id of the process this runs in."
    return os.getpid()
