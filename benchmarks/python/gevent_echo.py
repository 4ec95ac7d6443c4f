"""gevent's StreamServer echo (figure 4's gevent column): python3 gevent_echo.py PORT."""
import socket
import sys

from gevent.server import StreamServer


def echo(sock, _addr):
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    recv, sendall = sock.recv, sock.sendall
    while True:
        data = recv(4096)
        if not data:
            return
        sendall(data)


if __name__ == "__main__":
    server = StreamServer(("127.0.0.1", int(sys.argv[1])), echo, backlog=4096)
    server.start()
    print("ready", server.address, flush=True)
    server.serve_forever()
