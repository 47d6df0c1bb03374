"""How callbacks and coroutines are named in reprs and error messages.

A small version of CPython's asyncio/format_helpers.py and coroutines._format_coroutine:
the loop's messages ("Exception in callback f() at demo.py:3", "<Task pending name='Task-1'
coro=<main() running at demo.py:7>>") are what a learner reads, so they follow CPython's shape,
down to reprlib's default truncation of long argument values.
"""

import functools
import inspect
import reprlib
import sys
import traceback

# How many frames debug mode records for a Handle's or Future's source traceback
# (CPython's asyncio/constants.py; also the coroutine origin tracking depth).
DEBUG_STACK_DEPTH = 10

def _get_function_source(func):
    func = inspect.unwrap(func)
    if inspect.isfunction(func):
        code = func.__code__
        return (code.co_filename, code.co_firstlineno)
    if isinstance(func, functools.partial):
        return _get_function_source(func.func)
    if isinstance(func, functools.partialmethod):
        return _get_function_source(func.func)
    return None


def format_args(args, kwargs=None):
    """"(1, 'a', key=2)", with long values shortened by reprlib, as CPython does."""
    items = [reprlib.repr(arg) for arg in args or ()]
    items.extend(f"{k}={reprlib.repr(v)}" for k, v in (kwargs or {}).items())
    return "(" + ", ".join(items) + ")"


def format_callback(func, args, suffix="", kwargs=None):
    if isinstance(func, functools.partial):
        suffix = format_args(args, kwargs) + suffix
        return format_callback(func.func, func.args, suffix, func.keywords)
    if hasattr(func, "__qualname__") and func.__qualname__:
        func_repr = func.__qualname__
    elif hasattr(func, "__name__") and func.__name__:
        func_repr = func.__name__
    else:
        func_repr = repr(func)
    return func_repr + format_args(args, kwargs) + suffix


def format_callback_source(func, args):
    """'name(args) at file:line', as in CPython's 'Exception in callback ...' messages."""
    func_repr = format_callback(func, args)
    source = _get_function_source(func)
    if source:
        func_repr += f" at {source[0]}:{source[1]}"
    return func_repr


def format_coroutine(coro):
    """'main() running at file:line' or 'main() done, defined at file:line'
    (CPython: coroutines._format_coroutine)."""
    if getattr(coro, "__qualname__", None):
        name = coro.__qualname__
    elif getattr(coro, "__name__", None):
        name = coro.__name__
    else:
        name = f"<{type(coro).__name__} without __name__>"
    name = f"{name}()"
    code = getattr(coro, "cr_code", None) or getattr(coro, "gi_code", None)
    if not code:
        running = getattr(coro, "cr_running", getattr(coro, "gi_running", False))
        return f"{name} running" if running else name
    frame = getattr(coro, "gi_frame", None) or getattr(coro, "cr_frame", None)
    filename = code.co_filename or "<empty co_filename>"
    if frame is not None:
        return f"{name} running at {filename}:{frame.f_lineno}"
    return f"{name} done, defined at {filename}:{code.co_firstlineno}"


def extract_stack(f=None, limit=None):
    """The last DEBUG_STACK_DEPTH frames from ``f`` outwards, oldest first, without reading
    source lines (they are read only if the stack is printed): what debug mode stores as a
    Handle's or Future's ``_source_traceback``."""
    if f is None:
        f = sys._getframe().f_back
    if limit is None:
        limit = DEBUG_STACK_DEPTH
    stack = traceback.StackSummary.extract(traceback.walk_stack(f), limit=limit,
                                           lookup_lines=False)
    stack.reverse()
    return stack
