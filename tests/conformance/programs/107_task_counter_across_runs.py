"""The Task-N name counter is global to the process: it keeps counting across asyncio.run() calls and separate loops.
"""


async def name():
    return asyncio.current_task().get_name()


async def main():
    return [await asyncio.create_task(name()) for _ in range(2)] + [asyncio.current_task().get_name()]


print(asyncio.run(main()))
print(asyncio.run(main()))
loop = asyncio.new_event_loop()
print(loop.run_until_complete(name()))
print(loop.run_until_complete(loop.create_task(name(), name='explicit')))
print(loop.run_until_complete(name()))
loop.close()
