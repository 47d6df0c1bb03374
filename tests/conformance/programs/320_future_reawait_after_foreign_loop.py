"""A Future awaited by a Task of a foreign loop (RuntimeError) can later be awaited normally on its own loop."""
import re
def r(s):
    return re.sub(r' at 0x[0-9a-f]+', '', re.sub(r'<\S+\.(\w+) object', r'<\1', str(s)))

loop1 = asyncio.new_event_loop()
fut = loop1.create_future()

async def foreign():
    try:
        await fut
    except RuntimeError as e:
        print('foreign:', 'attached to a different loop' in str(e))
    print('blocking flag after foreign await:', fut._asyncio_future_blocking)

asyncio.run(foreign())

async def own():
    loop1.call_soon(fut.set_result, 42)
    try:
        print('own await ->', await fut)
    except RuntimeError as e:
        print('own RuntimeError:', e)

loop1.run_until_complete(own())
loop1.close()
