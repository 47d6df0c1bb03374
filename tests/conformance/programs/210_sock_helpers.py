"""loop.sock_accept, sock_connect, sock_sendall, sock_recv, sock_recv_into on non-blocking sockets, including waiting for data that arrives later.
"""
import socket


async def main():
    loop = asyncio.get_running_loop()
    listener = socket.socket()
    listener.bind(('127.0.0.1', 0))
    listener.listen()
    listener.setblocking(False)
    port = listener.getsockname()[1]
    client = socket.socket()
    client.setblocking(False)
    accept = asyncio.ensure_future(loop.sock_accept(listener))
    await asyncio.sleep(0)
    print('accept waiting:', not accept.done())
    print('sock_connect ->', await loop.sock_connect(client, ('127.0.0.1', port)))
    conn, addr = await accept
    print('accepted from client port:', addr == client.getsockname(), 'blocking', conn.getblocking())
    recv = asyncio.ensure_future(loop.sock_recv(conn, 100))
    await asyncio.sleep(0)
    print('recv waiting:', not recv.done())
    print('sock_sendall ->', await loop.sock_sendall(client, b'hello'))
    print('sock_recv ->', await recv)
    big = bytes(range(256)) * 8192     # 2 MiB: more than the socket buffers hold
    send = asyncio.ensure_future(loop.sock_sendall(client, big))
    received = bytearray()
    buf = bytearray(65536)
    while len(received) < len(big):
        n = await loop.sock_recv_into(conn, buf)
        received += buf[:n]
    await send
    print('sock_recv_into got it all:', received == big)
    client.shutdown(socket.SHUT_WR)
    print('sock_recv at EOF ->', await loop.sock_recv(conn, 100))
    for s in (client, conn, listener):
        s.close()


asyncio.run(main())
