"""gevent's pywsgi hello world (figure 5's gevent column): python3 gevent_hello.py PORT.

pywsgi writes status and headers, then the body: without TCP_NODELAY Nagle and delayed ACK
hold the second write back ~40 ms, so the accepted sockets get TCP_NODELAY."""
import socket
import sys

from gevent.pywsgi import WSGIServer

BODY = b"Hello, World!\n"


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))])
    return [BODY]


class NoDelayServer(WSGIServer):
    def do_read(self):
        result = super().do_read()
        if result is not None:
            result[0].setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return result


if __name__ == "__main__":
    server = NoDelayServer(("127.0.0.1", int(sys.argv[1])), app, log=None, backlog=4096)
    print("ready gevent pywsgi on", sys.argv[1], flush=True)
    server.serve_forever()
