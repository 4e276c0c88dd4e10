#!/usr/bin/env python3
# test/bench/svcwatch.py - the clocks of test/bench/services.sh:
#   svcwatch.py serve NAME [PORT]
#       an HTTP server on 0.0.0.0:PORT (80) answering NAME to every GET;
#       run in a node's network namespace, it answers on the floating
#       address the moment the address is on the node's interface.
#   svcwatch.py http URL WANT LIMIT_S [EVERY_MS]
#       a client: a new connection to URL every EVERY_MS (10) ms, each
#       allowed 1 s, many in flight (so one SYN lost to a stale ARP entry
#       does not hide the next); WANT is the body expected, or !BODY for
#       any non-empty body but BODY ("!": any).  "polling" on stderr
#       once the first attempt is made.  Prints "EPOCH_MS BODY TRIES" for
#       the first matching answer (the moment it arrived), exit 0; exit 1
#       after LIMIT_S seconds.  SIGTERM ends it quietly (exit 1).
#   svcwatch.py stamp OUT TAG=FILE...
#       follows the FILEs from their current end (a file may appear
#       later), every ms, and appends each new line to OUT as
#       "EPOCH_MS TAG LINE": the daemons log without a time stamp.
#       It ends with its parent.
# Measures nothing by itself and asserts nothing.
import os
import selectors
import signal
import socket
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def now_ms():
    return time.time_ns() // 1000000


def serve(name, port=80):
    body = name.encode()

    class Answer(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    ThreadingHTTPServer.allow_reuse_address = True
    ThreadingHTTPServer(("0.0.0.0", int(port)), Answer).serve_forever()


def matches(body, want):
    if want.startswith("!"):
        return body != "" and body != want[1:]
    return body == want


class Try:
    """One connection attempt: connect, send the request, read to EOF."""

    def __init__(self, sel, addr, request):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self.start = now_ms()
        self.data = b""
        self.request = request
        self.sent = False
        self.sel = sel
        try:
            self.sock.connect(addr)
        except BlockingIOError:
            pass
        except OSError:
            self.sock.close()
            self.sock = None
            return
        sel.register(self.sock, selectors.EVENT_WRITE, self)

    def close(self):
        if self.sock:
            self.sel.unregister(self.sock)
            self.sock.close()
            self.sock = None

    def event(self):
        """None while going on; else the body ('' on failure)."""
        try:
            if not self.sent:
                err = self.sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
                if err:
                    return ""
                self.sock.send(self.request)
                self.sent = True
                self.sel.modify(self.sock, selectors.EVENT_READ, self)
                return None
            chunk = self.sock.recv(4096)
        except OSError:
            return ""
        if chunk:
            self.data += chunk
            return None
        head, _, body = self.data.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.") or b" 200 " not in head[:16]:
            return ""
        return body.decode(errors="replace").strip()


def poll_http(url, want, limit_s, every_ms=10):
    u = urllib.parse.urlsplit(url)
    addr = (u.hostname, u.port or 80)
    request = ("GET %s HTTP/1.0\r\nHost: %s\r\n\r\n"
               % (u.path or "/", u.hostname)).encode()
    sel = selectors.DefaultSelector()
    end = now_ms() + int(float(limit_s) * 1000)
    every = int(every_ms)
    tries, live, next_try = 0, [], now_ms()
    while now_ms() < end:
        if now_ms() >= next_try:
            t = Try(sel, addr, request)
            tries += 1
            if tries == 1:
                sys.stderr.write("polling\n")
                sys.stderr.flush()
            if t.sock:
                live.append(t)
            next_try += every
        for key, _ in sel.select(max(0, next_try - now_ms()) / 1000):
            t = key.data
            body = t.event()
            if body is None:
                continue
            got = now_ms()
            t.close()
            live.remove(t)
            if matches(body, want):
                print(got, body or "-", tries)
                return 0
        for t in [t for t in live if now_ms() - t.start > 1000]:
            t.close()
            live.remove(t)
    return 1


def stamp(out, pairs):
    follow = []
    for p in pairs:
        tag, _, path = p.partition("=")
        try:
            f = open(path, "rb")
            f.seek(0, os.SEEK_END)
        except OSError:
            f = None
        follow.append([tag, path, f, b""])
    parent = os.getppid()
    with open(out, "a", buffering=1) as o:
        while os.getppid() == parent:
            for f in follow:
                if f[2] is None:
                    try:
                        f[2] = open(f[1], "rb")
                    except OSError:
                        continue
                chunk = f[2].read()
                if not chunk:
                    continue
                t = now_ms()
                f[3] += chunk
                *lines, f[3] = f[3].split(b"\n")
                for line in lines:
                    o.write("%d %s %s\n" % (t, f[0],
                            line.decode(errors="replace")))
            time.sleep(0.001)


def main(argv):
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    if len(argv) >= 3 and argv[1] == "serve":
        serve(*argv[2:4])
    elif len(argv) in (5, 6) and argv[1] == "http":
        return poll_http(*argv[2:])
    elif len(argv) >= 4 and argv[1] == "stamp":
        stamp(argv[2], argv[3:])
    else:
        sys.stderr.write("usage: svcwatch.py serve NAME [PORT] | "
                         "http URL WANT LIMIT_S [EVERY_MS] | "
                         "stamp OUT TAG=FILE...\n")
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
