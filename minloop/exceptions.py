"""The exceptions minloop raises: asyncio's own classes (CPython's asyncio/exceptions.py).

1. minloop raises *the same classes* as asyncio, not look-alikes: code written for asyncio
   (``except asyncio.CancelledError``) must catch minloop's cancellations too, or stdlib
   asyncio code running on a minloop loop would not see them. Their definition in CPython
   is three short classes; read it with ``show_source(asyncio.exceptions)``.
2. CancelledError derives from BaseException (since 3.8), so a bare ``except Exception``
   in user code does not swallow a cancellation by accident.
3. TimeoutError *is* the builtin TimeoutError, as in asyncio since 3.11.
4. The rest of asyncio 3.11's hierarchy is here too, for the modules that raise them:
   IncompleteReadError and LimitOverrunError (streams), BrokenBarrierError (locks),
   SendfileNotAvailableError (the loop's sendfile, which minloop leaves out).
"""

from asyncio.exceptions import (BrokenBarrierError, CancelledError, IncompleteReadError,
                                InvalidStateError, LimitOverrunError,
                                SendfileNotAvailableError)

__all__ = ("BrokenBarrierError", "CancelledError", "IncompleteReadError", "InvalidStateError",
           "LimitOverrunError", "SendfileNotAvailableError", "TimeoutError")

TimeoutError = TimeoutError  # the builtin, re-exported on purpose (asyncio 3.11 does the same)
