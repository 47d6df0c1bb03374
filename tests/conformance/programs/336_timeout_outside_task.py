"""timeout() outside a running loop, and entering a Timeout outside a Task (run_until_complete of a bare coroutine is a Task; a Timeout made on one loop used on another)."""
try:
    asyncio.timeout(1)
except RuntimeError as e:
    print('no loop:', e)

t = asyncio.timeout_at(None)
print(repr(t), t.when())

async def use(cm):
    async with cm:
        await asyncio.sleep(0)
    return repr(cm)

print(asyncio.run(use(t)))

cm = None
async def make():
    global cm
    cm = asyncio.timeout(1000)
asyncio.run(make())
print(asyncio.run(use(cm)))

async def enter_raw():
    cm = asyncio.timeout(1)
    coro = cm.__aenter__()
    try:
        coro.send(None)
    except StopIteration as e:
        print('entered in task', e.value is cm)
    await cm.__aexit__(None, None, None)
    print(repr(cm))
asyncio.run(enter_raw())
