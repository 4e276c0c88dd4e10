/* net/libc.c - smaller stand-ins for a few pieces of musl.
 *
 * The product has a hard size budget, and some musl objects are large for
 * what hacluster asks of them.  In the musl product (built with
 * -DHAC_OWN_LIBC) this file defines these libc names, so the linker takes
 * them from here and never pulls musl's objects in; musl's own callers
 * (getaddrinfo, the resolver, inet_aton) get them too.  Everywhere else
 * (glibc, ASan, fuzzers) the file is empty.
 *
 *   malloc calloc realloc free   musl's mallocng is ~9 KB: hardening and
 *       returning memory to the kernel.  Here: power-of-two size classes
 *       with one free list each, carved from mmap'd regions; requests over
 *       SMALL_MAX get their own mapping, unmapped by free.  Memory of the
 *       small classes is reused, never returned: a process holds the
 *       peak of each class.  Single-threaded, like the product.
 *   qsort   musl's smoothsort is ~2 KB; a heap sort has the same
 *       O(n log n) bound.  Neither is stable, and every comparator we
 *       sort with (ours, and musl's address ordering in getaddrinfo) is a
 *       total order, so the result is the same.
 *   strstr memmem   musl's two-way search is ~2.5 KB; the needles here
 *       are 2 or 3 bytes (the XML scanner's "--", "?>", "]]>"; musl's
 *       resolver looking for keywords in a line), so the plain search is
 *       as quick.
 *   strtol strtoul strtoll strtoull   musl's scanner is ~2.4 KB, shared
 *       with scanf that we do not link.  Same results, end pointer and
 *       errno as musl: whitespace, sign, base 0 and 16 prefixes, ERANGE
 *       clamping, EINVAL when no digit is read or the base is invalid.
 */
#ifdef HAC_OWN_LIBC
#ifdef __GLIBC__
#error "HAC_OWN_LIBC replaces libc functions: musl builds only"
#endif
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* --- malloc --------------------------------------------------------------- */
/* Every block starts with a 16-byte header, so payloads keep malloc's
 * 16-byte alignment.  Class c holds blocks of 32 << c bytes, header
 * included; a block too large for the last class is a mapping of its
 * own whose header holds its length. */
enum { HDR = 16, NCLASS = 13, SMALL_MAX = (32 << (NCLASS - 1)) - HDR,
       REGION = 256 << 10 };

struct hdr {
	size_t cls;		/* class, or NCLASS: own mapping */
	size_t len;		/* own mapping: its length */
};

static struct {
	void *free[NCLASS];	/* a free block's payload holds the next */
	char *cur, *end;	/* the region small blocks are carved from */
} heap;

static void *map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* Not named malloc: GCC turns malloc + memset into calloc, which here
 * would call itself. */
static void *alloc(size_t n)
{
	struct hdr *h;
	size_t c = 0, len;

	if (n > SMALL_MAX) {
		if (n > SIZE_MAX / 2) {
			errno = ENOMEM;
			return NULL;
		}
		len = (n + HDR + 4095) & ~(size_t)4095;
		if (!(h = map(len)))
			return NULL;
		*h = (struct hdr){ NCLASS, len };
		return h + 1;
	}
	while ((size_t)32 << c < n + HDR)
		c++;
	if (heap.free[c]) {
		h = (struct hdr *)heap.free[c] - 1;
		heap.free[c] = *(void **)heap.free[c];
	} else {
		len = (size_t)32 << c;
		if ((size_t)(heap.end - heap.cur) < len) {
			size_t r = len > REGION ? len : REGION;
			char *m = map(r);

			if (!m)
				return NULL;
			heap.cur = m;
			heap.end = m + r;
		}
		h = (struct hdr *)heap.cur;
		heap.cur += len;
	}
	h->cls = c;
	return h + 1;
}

/* Bytes the payload after header h can hold. */
static size_t room(const struct hdr *h)
{
	return (h->cls == NCLASS ? h->len : (size_t)32 << h->cls) - HDR;
}

void *malloc(size_t n)
{
	return alloc(n);
}

void *calloc(size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size) {
		errno = ENOMEM;
		return NULL;
	}
	/* a block over SMALL_MAX is a fresh mapping: zero already, and
	 * untouched pages stay out of the resident set */
	if ((p = alloc(n * size)) && n * size <= SMALL_MAX)
		memset(p, 0, n * size);
	return p;
}

void free(void *p)
{
	struct hdr *h = (struct hdr *)p - 1;

	if (!p)
		return;
	if (h->cls == NCLASS) {
		munmap(h, h->len);
		return;
	}
	*(void **)p = heap.free[h->cls];
	heap.free[h->cls] = p;
}

void *realloc(void *p, size_t n)
{
	size_t have;
	void *q;

	if (!p)
		return alloc(n);
	have = room((struct hdr *)p - 1);
	if (n <= have)
		return p;
	if (!(q = alloc(n)))
		return NULL;
	memcpy(q, p, have);
	free(p);
	return q;
}

/* --- qsort ---------------------------------------------------------------- */
typedef int (*cmp_fn)(const void *, const void *);

static void swap(char *a, char *b, size_t w)
{
	while (w--) {
		char t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

/* Moves element i down the max-heap v[0..n) to its place. */
static void sift(char *v, size_t i, size_t n, size_t w, cmp_fn cmp)
{
	for (size_t c; (c = 2 * i + 1) < n; i = c) {
		if (c + 1 < n && cmp(v + c * w, v + (c + 1) * w) < 0)
			c++;
		if (cmp(v + i * w, v + c * w) >= 0)
			return;
		swap(v + i * w, v + c * w, w);
	}
}

void qsort(void *base, size_t n, size_t w, cmp_fn cmp)
{
	char *v = base;

	for (size_t i = n / 2; i > 0; i--)
		sift(v, i - 1, n, w, cmp);
	for (size_t i = n; i > 1; i--) {
		swap(v, v + (i - 1) * w, w);
		sift(v, 0, i - 1, w, cmp);
	}
}

/* --- strstr, memmem ------------------------------------------------------- */
void *memmem(const void *h, size_t hlen, const void *n, size_t nlen)
{
	const char *p = h;

	for (; hlen >= nlen; p++, hlen--)
		if (!memcmp(p, n, nlen))
			return (void *)p;
	return NULL;
}

char *strstr(const char *h, const char *n)
{
	return memmem(h, strlen(h), n, strlen(n));
}

/* --- strtol and kin ------------------------------------------------------- */
/* The value of digit c in bases up to 36; 36 or more for a non-digit. */
static unsigned digit(unsigned c)
{
	if (c - '0' < 10)
		return c - '0';
	c = (c | 32) - 'a';
	return c < 26 ? c + 10 : 36;
}

/* C's strto* on unsigned long long, as musl words it: lim is the
 * magnitude limit, odd (the maximum) for the unsigned functions and
 * even (-minimum) for the signed ones. */
static unsigned long long scan(const char *s, char **end, int base,
			       unsigned long long lim)
{
	const unsigned char *p = (const unsigned char *)s, *digits;
	unsigned long long y = 0, neg = 0;
	unsigned d;
	int over = 0;

	if (base == 1 || base > 36 || base < 0)
		goto fail;
	while (*p == ' ' || (unsigned)(*p - '\t') < 5)
		p++;
	if (*p == '+' || *p == '-')
		neg = -(unsigned long long)(*p++ == '-');
	if ((base == 0 || base == 16) && *p == '0') {
		if ((p[1] | 32) == 'x' && digit(p[2]) < 16) {
			p += 2;
			base = 16;
		} else if (!base) {
			base = 8;
		}
	}
	if (!base)
		base = 10;
	for (digits = p; (d = digit(*p)) < (unsigned)base; p++) {
		if (y > (ULLONG_MAX - d) / (unsigned)base)
			over = 1;
		y = y * (unsigned)base + d;
	}
	if (p == digits) {
fail:
		if (end)
			*end = (char *)s;
		errno = EINVAL;
		return 0;
	}
	if (end)
		*end = (char *)p;
	if (over) {
		errno = ERANGE;
		y = lim;
		if (lim & 1)
			neg = 0;
	}
	if (y >= lim) {
		if (!(lim & 1) && !neg) {
			errno = ERANGE;
			return lim - 1;
		}
		if (y > lim) {
			errno = ERANGE;
			return lim;
		}
	}
	return (y ^ neg) - neg;
}

long strtol(const char *restrict s, char **restrict end, int base)
{
	return (long)scan(s, end, base, 0ULL + LONG_MIN);
}

unsigned long strtoul(const char *restrict s, char **restrict end, int base)
{
	return (unsigned long)scan(s, end, base, ULONG_MAX);
}

long long strtoll(const char *restrict s, char **restrict end, int base)
{
	return (long long)scan(s, end, base, 0ULL + LLONG_MIN);
}

unsigned long long strtoull(const char *restrict s, char **restrict end,
			    int base)
{
	return scan(s, end, base, ULLONG_MAX);
}
#endif
