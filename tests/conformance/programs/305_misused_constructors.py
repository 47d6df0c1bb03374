"""Future and Task constructed wrongly raise asyncio's exception types and leave nothing behind:
no "Exception ignored in __del__" on stderr, no "Task was destroyed" report.

The messages of argument errors are not compared: asyncio's Future and Task are C types,
whose argument parser words them differently from any Python __init__ (asyncio's own
pure-Python Future says what minloop says).
"""
import gc

loop = asyncio.new_event_loop()
loop.set_exception_handler(lambda lp, ctx: print("handler:", ctx["message"]))


async def coro():
    pass


def attempt(label, make):
    try:
        obj = make()
    except Exception as exc:
        print(f"{label}: {type(exc).__name__}")
    else:
        print(f"{label}: made {type(obj).__name__}")
    gc.collect()


attempt("Future(5)", lambda: asyncio.Future(5))
attempt("Future(loop=5)", lambda: asyncio.Future(loop=5))
attempt("Task()", lambda: asyncio.Task())
c = coro()
attempt("Task(coro, 5)", lambda: asyncio.Task(c, 5))
attempt("Task(coro, loop=5)", lambda: asyncio.Task(c, loop=5))
attempt("Task(42, loop=loop)", lambda: asyncio.Task(42, loop=loop))
attempt("Task(coro, loop=loop, bogus=1)", lambda: asyncio.Task(c, loop=loop, bogus=1))
c.close()
print("Future(loop=5) message:", end=" ")
try:
    asyncio.Future(loop=5)
except AttributeError as exc:
    print(exc)
loop.close()
print("done")
