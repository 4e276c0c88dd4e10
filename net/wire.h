/* net/wire.h - field-by-field packing with bounds checks.
 *
 * Network byte order throughout.  A writer fills a caller's buffer and a
 * reader walks a received one; both carry a sticky flag that is set on
 * the first access past the end, after which every access is a no-op
 * (reads return 0 / NULL).  Check the flag once at the end: no struct is
 * ever cast onto a buffer and no heap is used. */
#ifndef WIRE_H
#define WIRE_H

#include <stddef.h>
#include <stdint.h>

struct wire_w {
	uint8_t *p;
	size_t cap, len;
	int over;		/* a put did not fit */
};

struct wire_r {
	const uint8_t *p;
	size_t len, pos;
	int short_read;		/* a get ran past the end */
};

void wire_w_init(struct wire_w *w, void *buf, size_t cap);
void wire_put_u8(struct wire_w *w, uint8_t v);
void wire_put_u16(struct wire_w *w, uint16_t v);
void wire_put_u32(struct wire_w *w, uint32_t v);
void wire_put_u64(struct wire_w *w, uint64_t v);
void wire_put_bytes(struct wire_w *w, const void *p, size_t n);
/* Reserve n bytes to fill later; NULL (and over set) if they don't fit. */
uint8_t *wire_put_space(struct wire_w *w, size_t n);

void wire_r_init(struct wire_r *r, const void *buf, size_t len);
uint8_t wire_get_u8(struct wire_r *r);
uint16_t wire_get_u16(struct wire_r *r);
uint32_t wire_get_u32(struct wire_r *r);
uint64_t wire_get_u64(struct wire_r *r);
/* n bytes in place (not copied), or NULL past the end. */
const uint8_t *wire_get_bytes(struct wire_r *r, size_t n);
size_t wire_left(const struct wire_r *r);
/* A string of at most size - 1 bytes, after a one-byte length (longer
 * ones are cut); read back NUL-ended, "" when it does not fit. */
void wire_put_str(struct wire_w *w, const char *s, size_t size);
void wire_get_str(struct wire_r *r, char *out, size_t size);
/* 0 when every get stayed inside the buffer and all of it was read. */
int wire_r_done(const struct wire_r *r);

#endif
