#!/usr/bin/env python3
# test/netns/mock-hacluster.py - a stand-in for the hacluster binary that
# lets ring.test.sh and lib.sh be tested without the real daemon:
#   HACLUSTER=test/netns/mock-hacluster.py bash test/netns/ring.test.sh
# It is NOT totem: each node multicasts (or, with transport="udpu", unicasts
# to every node) a heartbeat every 100 ms carrying an HMAC under
# /etc/cluster/authkey; members are the nodes heard in the last second;
# a changed member set takes a generation above every one heard, a node
# that sees its own set under a higher generation adopts it, and the
# generation is kept in /var/lib/hacluster.  SIGTERM sends "leave" first.
# Applets: `daemon -f`, `keygen FILE`, and `cman_tool status|nodes` (by
# argv[0] or first argument), reading /run/hacluster/mock.status.
import hashlib, hmac, os, re, select, signal, socket, struct, sys, time

STATUS = "/run/hacluster/mock.status"
PORT = 5405


def conf():
    x = open("/etc/cluster/cluster.conf").read()
    nodes = {n: int(i) for n, i in
             re.findall(r'<clusternode name="([^"]+)" nodeid="(\d+)"', x)}
    return nodes, 'transport="udpu"' in x


def daemon():
    nodes, udpu = conf()
    me = nodes[os.uname().nodename]
    key = open("/etc/cluster/authkey", "rb").read()
    addr = {i: socket.gethostbyname(n) for n, i in nodes.items()}
    group = "239.192.110.162"
    rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    rx.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    rx.bind(("", PORT))
    if not udpu:
        rx.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                      struct.pack("4s4s", socket.inet_aton(group),
                                  socket.inet_aton(addr[me])))
    tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    tx.bind((addr[me], PORT - 1))
    tx.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 0)
    seqf = "/var/lib/hacluster/mock.seq"
    gen = int(open(seqf).read()) if os.path.exists(seqf) else 0
    heard, gens, members, rejected = {}, {}, {me}, 0
    state = {"gen": gen}

    def save(g):
        with open(seqf + ".tmp", "w") as f:
            f.write("%d\n" % g)
        os.rename(seqf + ".tmp", seqf)

    def send(msg):
        body = msg.encode()
        pkt = hmac.new(key, body, hashlib.sha256).digest()[:16] + body
        for dst in ([addr[i] for i in addr if i != me] if udpu else [group]):
            try:
                tx.sendto(pkt, (dst, PORT))
            except OSError:
                pass

    def status():
        os.makedirs("/run/hacluster", exist_ok=True)
        with open(STATUS + ".tmp", "w") as f:
            f.write("gen %d\nrejected %d\nmembers %s\n" % (
                state["gen"], rejected, " ".join(map(str, sorted(members)))))
            f.write("me %d %s\n" % (me, os.uname().nodename))
            f.write("mcast %s\n" % ("" if udpu else group))
            f.write("names %s\n" % " ".join(
                "%d=%s" % (i, n) for n, i in nodes.items()))
        os.rename(STATUS + ".tmp", STATUS)

    def leave(*_):
        for _ in range(3):
            send("leave %d" % me)
        sys.exit(0)
    signal.signal(signal.SIGTERM, leave)
    print("mock daemon: node%d up, gen %d, %s" % (
        me, gen, "udpu" if udpu else "multicast"), flush=True)
    last = 0
    while True:
        now = time.monotonic()
        if now - last >= 0.1:
            send("hb %d %d %s" % (me, state["gen"],
                                  ",".join(map(str, sorted(members)))))
            last = now
        r, _, _ = select.select([rx], [], [], 0.05)
        if r:
            pkt, _ = rx.recvfrom(2048)
            tag, body = pkt[:16], pkt[16:]
            if not hmac.compare_digest(
                    tag, hmac.new(key, body, hashlib.sha256).digest()[:16]):
                rejected += 1
                if rejected in (1, 10, 100, 1000):
                    print("rejected packet: bad auth tag (%d so far)" %
                          rejected, flush=True)
                continue
            f = body.decode().split()
            if f[0] == "leave":
                heard.pop(int(f[1]), None)
            elif f[0] == "hb":
                n = int(f[1])
                heard[n] = time.monotonic()
                gens[n] = (int(f[2]), f[3])
        now = time.monotonic()
        for n in [n for n, t in heard.items() if now - t > 1.0]:
            del heard[n]
        new = {me} | set(heard)
        if new != members:
            members = new
            state["gen"] = max([state["gen"]] +
                               [g for g, _ in gens.values()]) + 4
            save(state["gen"])
            print("mock daemon: members %s gen %d" % (
                sorted(members), state["gen"]), flush=True)
        mine = ",".join(map(str, sorted(members)))
        for n in members - {me}:
            g, s = gens.get(n, (0, ""))
            if s == mine and g > state["gen"]:
                state["gen"] = g
                save(g)
        status()


def cman_tool(args):
    try:
        st = dict(l.split(" ", 1) for l in
                  open(STATUS).read().splitlines() if " " in l)
    except OSError:
        sys.exit("cman_tool: Cannot open connection to cman, is it running ?")
    members = st["members"].split()
    names = dict(x.split("=") for x in st["names"].split())
    me, name = st["me"].split()
    if args[:1] == ["status"]:
        print("Version: 6.2.0\nConfig Version: 1\nCluster Name: tcluster\n"
              "Cluster Id: 28212\nCluster Member: Yes\n"
              "Cluster Generation: %s\nMembership state: Cluster-Member\n"
              "Nodes: %d\nNode name: %s\nNode ID: %s\n"
              "Multicast addresses: %s" % (st["gen"], len(members), name,
                                           me, st.get("mcast", "")))
    elif args[:1] == ["nodes"]:
        print("Node  Sts   Inc   Joined               Name")
        for i in sorted(names, key=int):
            print("%4s   %s  %5s   %-19s  %s" % (
                i, "M" if i in members else "X", st["gen"],
                "2026-01-01 00:00:00" if i in members else "", names[i]))
    else:
        sys.exit("cman_tool: no operation specified")


def main(a):
    prog = os.path.basename(a[0])
    if prog == "cman_tool":
        return cman_tool(a[1:])
    if a[1:2] == ["cman_tool"]:
        return cman_tool(a[2:])
    if a[1:2] == ["daemon"]:
        if "-h" in a:
            print("usage: hacluster daemon [-f]  (mock)")
            return
        return daemon()
    if a[1:2] == ["keygen"] and len(a) > 2:
        with open(a[2], "wb") as f:
            f.write(os.urandom(32))
        return
    sys.exit("mock-hacluster: %s: not mocked" % " ".join(a[1:]))


main(sys.argv)
