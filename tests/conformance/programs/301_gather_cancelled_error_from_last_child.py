"""gather() cancelled with return_exceptions=True raises the CancelledError of its *last child
in argument order*, as CPython's reused loop variable makes it, not of the child that finished
last; nested gathers too.
"""


async def child(name, delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print("child", name, "cancelled")
        raise
    return name


async def main():
    loop = asyncio.get_running_loop()

    # The children are cancelled with messages; the last one in argument order finishes
    # first, so "the child that finished last" and "the last child" differ.
    g = asyncio.gather(child("a", 2), child("b", 1), return_exceptions=True)
    await asyncio.sleep(0)
    g.cancel("stop")
    try:
        await g
    except asyncio.CancelledError as exc:
        print("outer:", repr(exc))

    # Only some children can still be cancelled: the last one has already returned.
    first = asyncio.ensure_future(child("c", 5))
    last = loop.create_future()
    last.set_result("done early")
    g = asyncio.gather(first, last, return_exceptions=True)
    await asyncio.sleep(0)
    g.cancel("stop2")
    try:
        await g
    except asyncio.CancelledError as exc:
        print("outer, last child not cancelled:", repr(exc))

    # The last child cancelled itself with its own message.
    async def cancels_itself():
        await asyncio.sleep(0)
        asyncio.current_task().cancel("self")
        await asyncio.sleep(0)

    g = asyncio.gather(child("d", 5), cancels_itself(), return_exceptions=True)
    await asyncio.sleep(0)
    g.cancel("stop3")
    try:
        await g
    except asyncio.CancelledError as exc:
        print("outer, last child cancelled itself:", repr(exc))

    # Nested: the inner gather is the outer one's last child.
    inner = asyncio.gather(child("e", 1), child("f", 2), return_exceptions=True)
    outer = asyncio.gather(child("g", 3), inner, return_exceptions=True)
    await asyncio.sleep(0)
    outer.cancel("nested")
    try:
        await outer
    except asyncio.CancelledError as exc:
        print("nested outer:", repr(exc))
    try:
        inner.result()
    except asyncio.CancelledError as exc:
        print("nested inner:", repr(exc))


asyncio.run(main())
