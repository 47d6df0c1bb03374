"""asyncio.run argument check: anything but a coroutine raises ValueError 'a coroutine was expected, got ...'.
"""


async def main():
    return 'ok'


for bad in (1, None, 'text', main):
    try:
        asyncio.run(bad)
    except ValueError as e:
        print('ValueError:', e if bad is not main else str(e).split(' at 0x')[0])
loop = asyncio.new_event_loop()
fut = loop.create_future()
try:
    asyncio.run(fut)
except ValueError as e:
    print('future -> ValueError:', e)
loop.close()
print('a real coroutine works:', asyncio.run(main()))
