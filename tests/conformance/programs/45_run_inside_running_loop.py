"""asyncio.run() called while a loop is running raises RuntimeError 'asyncio.run() cannot be called from a running event loop'.
"""


async def inner():
    return 'inner'


async def main():
    coro = inner()
    try:
        asyncio.run(coro)
    except RuntimeError as e:
        print('RuntimeError:', e)
    finally:
        coro.close()

    def from_callback():
        c = inner()
        try:
            asyncio.run(c)
        except RuntimeError as e:
            print('from a callback too:', e)
        finally:
            c.close()

    asyncio.get_running_loop().call_soon(from_callback)
    await asyncio.sleep(0.01)
    print('outer loop unaffected')


asyncio.run(main())
