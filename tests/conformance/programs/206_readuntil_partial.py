"""readuntil: multi-byte separators split across feeds, IncompleteReadError(partial, None) at EOF, empty separator rejected, two waiting readers rejected.
"""


async def main():
    loop = asyncio.get_running_loop()
    r = asyncio.StreamReader()

    async def reader_task():
        return await r.readuntil(b'END')

    t = asyncio.ensure_future(reader_task())
    for chunk in (b'hello E', b'N', b'Dtail'):
        await asyncio.sleep(0)
        r.feed_data(chunk)
    print('found across feeds:', await t)
    try:
        await r.readuntil(b'')
    except ValueError as exc:
        print('empty separator:', exc)
    r.feed_data(b'EN')
    r.feed_eof()
    try:
        await r.readuntil(b'END')
    except asyncio.IncompleteReadError as exc:
        print(type(exc).__name__, '|', exc, '|', exc.partial, exc.expected)

    r2 = asyncio.StreamReader()
    first = asyncio.ensure_future(r2.read(5))
    await asyncio.sleep(0)
    try:
        await r2.readline()
    except RuntimeError as exc:
        print('second reader:', exc)
    r2.feed_data(b'data')
    print('first reader got', await first)

    r3 = asyncio.StreamReader()
    r3.set_exception(ConnectionResetError('gone'))
    for method in ('read', 'readline', 'readuntil'):
        try:
            await getattr(r3, method)()
        except ConnectionResetError as exc:
            print(method, 'raises the set exception:', exc)
    print('exception()', repr(r3.exception()))


asyncio.run(main())
