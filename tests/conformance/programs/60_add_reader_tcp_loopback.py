"""Plain non-blocking sockets on 127.0.0.1 (port 0) driven by add_reader/add_writer: accept, connect, echo one message, EOF.
"""
import socket

loop = asyncio.new_event_loop()
server = socket.socket()
server.bind(('127.0.0.1', 0))
server.listen()
server.setblocking(False)
port = server.getsockname()[1]
client = socket.socket()
client.setblocking(False)
conns = []


def on_accept():
    conn, _ = server.accept()
    conn.setblocking(False)
    conns.append(conn)
    print('server accepted')
    loop.remove_reader(server)
    loop.add_reader(conn, on_server_data, conn)


def on_server_data(conn):
    data = conn.recv(1024)
    if data:
        print('server got', data)
        conn.send(data.upper())
    else:
        print('server got EOF')
        loop.remove_reader(conn)
        loop.stop()


def on_connected():
    loop.remove_writer(client)
    print('client connected, SO_ERROR', client.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR))
    client.send(b'ping')
    loop.add_reader(client, on_client_data)


def on_client_data():
    data = client.recv(1024)
    print('client got', data)
    loop.remove_reader(client)
    client.shutdown(socket.SHUT_WR)


loop.add_reader(server, on_accept)
try:
    client.connect(('127.0.0.1', port))
except BlockingIOError:
    pass
loop.add_writer(client, on_connected)
loop.call_later(5, loop.stop)
loop.run_forever()
for s in (client, server, *conns):
    s.close()
loop.close()
