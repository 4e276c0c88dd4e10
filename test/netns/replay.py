#!/usr/bin/env python3
# test/netns/replay.py - an attacker on the cluster network without the
# key: records the ring's datagrams and sends them again later.
# Every run is bounded.
#
#   replay.py sniff IFACE PORT SECONDS OUT [READY]
#       every UDP datagram to PORT that IFACE sees, unicast between
#       other machines too (the interface in promiscuous mode, on a
#       bridge that floods), for SECONDS into OUT with its destination;
#       print the count and how many were unicast.
#   replay.py send PORT IFADDR FILE RATE
#       send every recorded datagram of FILE to PORT of its destination,
#       from IFADDR (multicast TTL 1), RATE a second; print the count.
#
# OUT: per datagram 4-byte length, 4-byte IPv4 destination, the bytes.
import socket, struct, sys, time


def sniff(iface, port, seconds, out, ready=None):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                      socket.htons(0x0800))
    s.bind((iface, 0))
    if ready:
        open(ready, "w").close()
    n, uni, deadline = 0, 0, time.monotonic() + seconds
    with open(out, "wb") as f:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            s.settimeout(left)
            try:
                frame = s.recv(65536)
            except socket.timeout:
                break
            ip = frame[14:]
            if len(ip) < 28 or ip[9] != 17:
                continue
            udp = ip[(ip[0] & 15) * 4:]
            if len(udp) < 8 or struct.unpack("!H", udp[2:4])[0] != port:
                continue
            data = udp[8:struct.unpack("!H", udp[4:6])[0]]
            f.write(struct.pack("!I4s", len(data), ip[16:20]) + data)
            n += 1
            uni += ip[16] < 224
    print(n, uni)


def send(port, ifaddr, path, rate):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                 socket.inet_aton(ifaddr))
    s.bind((ifaddr, 0))
    data = open(path, "rb").read()
    n, off = 0, 0
    while off + 8 <= len(data):
        size, dst = struct.unpack("!I4s", data[off:off + 8])
        s.sendto(data[off + 8:off + 8 + size], (socket.inet_ntoa(dst), port))
        off += 8 + size
        n += 1
        time.sleep(1.0 / rate)
    print(n)


if __name__ == "__main__":
    a = sys.argv[1:]
    if len(a) in (5, 6) and a[0] == "sniff":
        sniff(a[1], int(a[2]), float(a[3]), a[4], *a[5:])
    elif len(a) == 5 and a[0] == "send":
        send(int(a[1]), a[2], a[3], float(a[4]))
    else:
        sys.exit(__doc__ or "usage: see the head of replay.py")
