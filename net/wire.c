/* net/wire.c - field-by-field packing with bounds checks. */
#include "wire.h"

#include <string.h>

void wire_w_init(struct wire_w *w, void *buf, size_t cap)
{
	*w = (struct wire_w){ buf, cap, 0, 0 };
}

uint8_t *wire_put_space(struct wire_w *w, size_t n)
{
	uint8_t *at;

	if (w->over || n > w->cap - w->len) {
		w->over = 1;
		return NULL;
	}
	at = w->p + w->len;
	w->len += n;
	return at;
}

static void put_be(struct wire_w *w, uint64_t v, int n)
{
	uint8_t *at = wire_put_space(w, (size_t)n);

	for (int i = n - 1; at && i >= 0; i--, v >>= 8)
		at[i] = (uint8_t)v;
}

void wire_put_u8(struct wire_w *w, uint8_t v) { put_be(w, v, 1); }
void wire_put_u16(struct wire_w *w, uint16_t v) { put_be(w, v, 2); }
void wire_put_u32(struct wire_w *w, uint32_t v) { put_be(w, v, 4); }
void wire_put_u64(struct wire_w *w, uint64_t v) { put_be(w, v, 8); }

void wire_put_bytes(struct wire_w *w, const void *p, size_t n)
{
	uint8_t *at = wire_put_space(w, n);

	if (at && n)
		memcpy(at, p, n);
}

void wire_r_init(struct wire_r *r, const void *buf, size_t len)
{
	*r = (struct wire_r){ buf, len, 0, 0 };
}

const uint8_t *wire_get_bytes(struct wire_r *r, size_t n)
{
	const uint8_t *at;

	if (r->short_read || n > r->len - r->pos) {
		r->short_read = 1;
		return NULL;
	}
	at = r->p + r->pos;
	r->pos += n;
	return at;
}

static uint64_t get_be(struct wire_r *r, int n)
{
	const uint8_t *at = wire_get_bytes(r, (size_t)n);
	uint64_t v = 0;

	for (int i = 0; at && i < n; i++)
		v = v << 8 | at[i];
	return v;
}

uint8_t wire_get_u8(struct wire_r *r) { return (uint8_t)get_be(r, 1); }
uint16_t wire_get_u16(struct wire_r *r) { return (uint16_t)get_be(r, 2); }
uint32_t wire_get_u32(struct wire_r *r) { return (uint32_t)get_be(r, 4); }
uint64_t wire_get_u64(struct wire_r *r) { return get_be(r, 8); }

size_t wire_left(const struct wire_r *r)
{
	return r->short_read ? 0 : r->len - r->pos;
}

int wire_r_done(const struct wire_r *r)
{
	return r->short_read || r->pos != r->len ? -1 : 0;
}

void wire_put_str(struct wire_w *w, const char *s, size_t size)
{
	size_t n = strnlen(s, size - 1 < 255 ? size - 1 : 255);

	wire_put_u8(w, (uint8_t)n);
	wire_put_bytes(w, s, n);
}

void wire_get_str(struct wire_r *r, char *out, size_t size)
{
	size_t n = wire_get_u8(r);
	const uint8_t *p = wire_get_bytes(r, n);

	if (!p || n >= size)
		n = 0;
	memcpy(out, p ? p : (const uint8_t *)"", n);
	out[n] = 0;
}
