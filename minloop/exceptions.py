"""The exceptions minloop raises, named and shaped as in CPython's asyncio/exceptions.py.

1. CancelledError derives from BaseException (since 3.8), so a bare ``except Exception``
   in user code does not swallow a cancellation by accident.
2. TimeoutError *is* the builtin TimeoutError, as in asyncio since 3.11.
3. CPython has more (IncompleteReadError, LimitOverrunError, SendfileNotAvailableError,
   BrokenBarrierError); later chapters add them as their modules need them.
"""

__all__ = ("CancelledError", "InvalidStateError", "TimeoutError")

TimeoutError = TimeoutError  # the builtin, re-exported on purpose (asyncio 3.11 does the same)


class CancelledError(BaseException):
    """The Future or Task was cancelled."""


class InvalidStateError(Exception):
    """The operation is not allowed in this state (a result read too early, set twice...)."""
