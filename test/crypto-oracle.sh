#!/bin/bash
# test/crypto-oracle.sh - net/crypto.c against an independent implementation.
# usage: test/crypto-oracle.sh BUILD
#
# Python's cryptography package (OpenSSL underneath) computes a few hundred
# random cases - SHA-256, HMAC, HKDF, ChaCha20, Poly1305, AEAD seal, AEAD
# open of good and of tampered boxes - with lengths 0..1500 and the block
# boundaries; $BUILD/tool_crypto answers the same lines and the answers
# must match.  The seed is printed; CRYPTO_ORACLE_SEED=N replays a run.
# It is Debian's python3-cryptography under /usr/bin/python3 on purpose:
# a python3 earlier on PATH may lack the package.
set -u
build=${1:?usage: crypto-oracle.sh BUILD}
py=/usr/bin/python3
tool=$build/tool_crypto
[ -x "$tool" ] || tool=$(dirname "$0")/../$build/tool_crypto

fail() {
	echo "crypto-oracle: $*"
	echo "crypto-oracle: 0 passed, 1 failed"
	exit 1
}

[ -x "$tool" ] || fail "$build/tool_crypto not built"
if ! "$py" -c 'import cryptography' 2>/dev/null; then
	echo "crypto-oracle: installing Debian package python3-cryptography"
	{ apt-get install -y -q python3-cryptography >/dev/null 2>&1 ||
	  { apt-get update -q >/dev/null 2>&1 &&
	    apt-get install -y -q python3-cryptography >/dev/null 2>&1; }; } ||
		fail "could not install python3-cryptography"
	"$py" -c 'import cryptography' 2>/dev/null ||
		fail "python3-cryptography installed but not importable"
fi

seed=${CRYPTO_ORACLE_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
echo "crypto-oracle: seed $seed"
exec "$py" - "$tool" "$seed" <<'EOF'
import random, subprocess, sys
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.poly1305 import Poly1305
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

tool, seed = sys.argv[1], int(sys.argv[2])
rng = random.Random(seed)
EDGES = [0, 1, 15, 16, 17, 31, 32, 33, 55, 56, 57, 63, 64, 65, 127, 128,
         129, 1500]

def length(hi=1500):
    """A block boundary a third of the time, else uniform in 0..hi."""
    if rng.random() < 1 / 3:
        return rng.choice([e for e in EDGES if e <= hi])
    return rng.randint(0, hi)

def data(n=None):
    return rng.randbytes(length() if n is None else n)

def h(b):
    return b.hex() if b else "-"

def sha256(m):
    d = hashes.Hash(hashes.SHA256())
    d.update(m)
    return d.finalize()

def mac(k, m):
    c = hmac.HMAC(k, hashes.SHA256())
    c.update(m)
    return c.finalize()

def case_sha256():
    m = data()
    return f"sha256 {h(m)}", sha256(m).hex()

def case_hmac():
    k, m = data(rng.choice([length(200), 64, 65, 131])), data()
    return f"hmac {h(k)} {h(m)}", mac(k, m).hex()

def case_hkdf():
    salt, ikm, info = data(length(100)), data(length(100)), data(length(100))
    n = rng.choice([1, 32, 33, 64, 8160, rng.randint(1, 8160)])
    okm = HKDF(algorithm=hashes.SHA256(), length=n, salt=salt or None,
               info=info).derive(ikm)
    return f"hkdf {h(salt)} {h(ikm)} {h(info)} {n}", okm.hex()

def case_chacha20():
    key, nonce, m = data(32), data(12), data()
    ctr = rng.choice([0, 1, rng.randint(0, 2**32 - 64)])
    iv = ctr.to_bytes(4, "little") + nonce
    c = Cipher(algorithms.ChaCha20(key, iv), mode=None).encryptor()
    return (f"chacha20 {h(key)} {h(nonce)} {ctr} {h(m)}",
            c.update(m).hex() if m else "")

def case_poly1305():
    key, m = data(32), data()
    return f"poly1305 {h(key)} {h(m)}", Poly1305.generate_tag(key, m).hex()

def aead_inputs():
    key, nonce = data(32), data(12)
    aad = data(rng.choice([length(64), length()]))
    return key, nonce, aad, data()

def case_seal():
    key, nonce, aad, pt = aead_inputs()
    box = ChaCha20Poly1305(key).encrypt(nonce, pt, aad)
    return f"aead {h(key)} {h(nonce)} {h(aad)} {h(pt)}", box.hex()

def case_open():
    key, nonce, aad, pt = aead_inputs()
    box = ChaCha20Poly1305(key).encrypt(nonce, pt, aad)
    return f"open {h(key)} {h(nonce)} {h(aad)} {h(box)}", pt.hex()

def flip(b):
    b = bytearray(b)
    bit = rng.randrange(8 * len(b))
    b[bit // 8] ^= 1 << bit % 8
    return bytes(b)

def case_forged():
    key, nonce, aad, pt = aead_inputs()
    box = ChaCha20Poly1305(key).encrypt(nonce, pt, aad)
    what = rng.choice(["box", "box", "aad", "nonce", "short"])
    if what == "aad":
        aad = flip(aad) if aad else b"\0"
    elif what == "nonce":
        nonce = flip(nonce)
    elif what == "short":
        box = box[:rng.randrange(len(box))]
    else:
        box = flip(box)
    return f"open {h(key)} {h(nonce)} {h(aad)} {h(box)}", "fail"

PLAN = [(case_sha256, 60), (case_hmac, 60), (case_hkdf, 40),
        (case_chacha20, 40), (case_poly1305, 50), (case_seal, 80),
        (case_open, 40), (case_forged, 40)]
cases = [fn() for fn, n in PLAN for _ in range(n)]
run = subprocess.run([tool], input="".join(c + "\n" for c, _ in cases),
                     capture_output=True, text=True, timeout=60)
got = run.stdout.split("\n")
passed = failed = 0
for i, (cmd, want) in enumerate(cases):
    answer = got[i] if i < len(got) else "(no answer)"
    if answer == want:
        passed += 1
        continue
    failed += 1
    if failed <= 10:
        print(f"crypto-oracle: case {i}: {cmd[:100]}...")
        print(f"  want {want[:100]}\n  got  {answer[:100]}")
if run.returncode != 0:
    print(f"crypto-oracle: tool_crypto exited {run.returncode}")
    failed += 1
print(f"crypto-oracle: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
EOF
