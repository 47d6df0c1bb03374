"""run_until_complete / run_forever on a loop that is already running raise RuntimeError 'This event loop is already running'.

Running a second loop in the same thread while one runs raises RuntimeError too.
"""


async def inner():
    return 1


async def main():
    loop = asyncio.get_running_loop()
    print('is_running():', loop.is_running())
    coro = inner()
    try:
        loop.run_until_complete(coro)
    except RuntimeError as e:
        print('run_until_complete:', e)
    finally:
        coro.close()
    try:
        loop.run_forever()
    except RuntimeError as e:
        print('run_forever:', e)
    other = asyncio.new_event_loop()
    coro = inner()
    try:
        other.run_until_complete(coro)
    except RuntimeError as e:
        print('another loop in the same thread:', e)
    finally:
        coro.close()
        other.close()
    print('still running:', loop.is_running())


asyncio.run(main())
