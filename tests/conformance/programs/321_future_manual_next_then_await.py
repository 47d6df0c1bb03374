"""Pulling one value from fut.__await__() by hand and then awaiting the Future in a Task: each await gets a fresh iterator."""

async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    it = fut.__await__()
    y = next(it)
    print('next yielded the future:', y is fut)
    loop.call_soon(fut.set_result, 'ok')
    try:
        print('await ->', await fut)
    except RuntimeError as e:
        print('RuntimeError:', e)

asyncio.run(main())
