"""Future state errors: result()/exception() on a pending future raise InvalidStateError with asyncio's messages; setting a done future twice raises InvalidStateError.
"""


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    print('isfuture:', asyncio.isfuture(fut), 'done:', fut.done(), 'cancelled:', fut.cancelled())
    for method in (fut.result, fut.exception):
        try:
            method()
        except asyncio.InvalidStateError as e:
            print(method.__name__, '-> InvalidStateError:', e)
    fut.set_result('first')
    for action, arg in ((fut.set_result, 'second'), (fut.set_exception, ValueError('late'))):
        try:
            action(arg)
        except asyncio.InvalidStateError as e:
            print(action.__name__, 'on done future -> InvalidStateError:', e)
    print('result kept:', fut.result(), 'exception():', fut.exception())
    print('InvalidStateError is an Exception:', issubclass(asyncio.InvalidStateError, Exception))


asyncio.run(main())
