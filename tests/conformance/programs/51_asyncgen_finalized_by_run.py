"""asyncio.run finalizes async generators left suspended (shutdown_asyncgens): their finally blocks run, and may await, before run() returns.
"""

kept = []


async def ticker(name):
    try:
        for i in range(100):
            yield i
    finally:
        print(name, 'finally starts')
        await asyncio.sleep(0)
        print(name, 'finally ends')


async def main():
    agen = ticker('agen')
    kept.append(agen)  # a live reference, so only shutdown_asyncgens can finalize it
    print('first values:', await agen.__anext__(), await agen.__anext__())
    print('main returns with agen suspended')


asyncio.run(main())
print('after run()')
