#!/usr/bin/env python3
# test/netns/udp.py - the harness's stand-in for ring traffic: UDP
# multicast/unicast sender and counting receiver, every run bounded.
#
#   udp.py recv ADDR PORT IFADDR SECONDS OUT [READY]
#       bind PORT (joining ADDR on the interface IFADDR when ADDR is
#       multicast), count datagrams for at most SECONDS, stop early after
#       a datagram "end"; write the count to OUT; touch READY once joined.
#   udp.py send ADDR PORT IFADDR COUNT [SRCPORT]
#       send COUNT datagrams "n" (and three "end") to ADDR:PORT from
#       IFADDR:SRCPORT (default PORT-1), multicast TTL 1.
import socket, struct, sys, time


def recv(addr, port, ifaddr, seconds, out, ready=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("", port))
    if int(addr.split(".")[0]) >= 224:
        mreq = struct.pack("4s4s", socket.inet_aton(addr),
                           socket.inet_aton(ifaddr))
        s.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, mreq)
    if ready:
        open(ready, "w").close()
    n, deadline = 0, time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            data, _ = s.recvfrom(2048)
        except socket.timeout:
            break
        if data == b"end":
            break
        n += 1
    with open(out, "w") as f:
        f.write("%d\n" % n)


def send(addr, port, ifaddr, count, srcport=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((ifaddr, srcport if srcport else port - 1))
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                 socket.inet_aton(ifaddr))
    for i in range(count):
        try:
            s.sendto(b"%d" % i, (addr, port))
        except OSError:		# link down: the packet is lost, as on a wire
            pass
        if i % 50 == 49:
            time.sleep(0.01)	# stay below socket buffer limits
    time.sleep(0.2)
    for _ in range(3):
        try:
            s.sendto(b"end", (addr, port))
        except OSError:
            pass


def main(a):
    if len(a) >= 6 and a[1] == "recv":
        recv(a[2], int(a[3]), a[4], float(a[5]), a[6],
             a[7] if len(a) > 7 else None)
    elif len(a) >= 6 and a[1] == "send":
        send(a[2], int(a[3]), a[4], int(a[5]),
             int(a[6]) if len(a) > 6 else None)
    else:
        sys.exit("usage: udp.py recv|send ...")


main(sys.argv)
