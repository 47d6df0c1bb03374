"""asyncio.AbstractServer exists and is the base class of the Server that create_server and start_server return; async with works on it.
"""


async def main():
    loop = asyncio.get_running_loop()
    srv = await loop.create_server(asyncio.Protocol, '127.0.0.1', 0)
    print('AbstractServer:', isinstance(srv, asyncio.AbstractServer),
          issubclass(asyncio.Server, asyncio.AbstractServer), type(srv).__name__)
    async with srv:
        print('serving in async with', srv.is_serving())
    print('after async with', srv.is_serving(), srv.sockets)
    srv2 = await asyncio.start_server(lambda r, w: None, '127.0.0.1', 0)
    print('start_server:', isinstance(srv2, asyncio.AbstractServer))
    srv2.close()
    await srv2.wait_closed()


asyncio.run(main())
