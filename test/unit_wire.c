/* test/unit_wire.c - the packing cursors: byte order, bounds, stickiness. */
#include "unit.h"
#include "../net/wire.h"

TEST(wire_round_trip)
{
	uint8_t buf[32];
	struct wire_w w;
	struct wire_r r;

	wire_w_init(&w, buf, sizeof buf);
	wire_put_u8(&w, 0xab);
	wire_put_u16(&w, 0x1234);
	wire_put_u32(&w, 0xdeadbeef);
	wire_put_u64(&w, 0x0102030405060708ull);
	wire_put_bytes(&w, "xyz", 3);
	CHECK_INT(w.len, 18);
	CHECK(!w.over);
	CHECK(buf[1] == 0x12 && buf[2] == 0x34 && buf[3] == 0xde);
	wire_r_init(&r, buf, w.len);
	CHECK_INT(wire_get_u8(&r), 0xab);
	CHECK_INT(wire_get_u16(&r), 0x1234);
	CHECK(wire_get_u32(&r) == 0xdeadbeef);
	CHECK(wire_get_u64(&r) == 0x0102030405060708ull);
	CHECK(!memcmp(wire_get_bytes(&r, 3), "xyz", 3));
	CHECK_INT(wire_r_done(&r), 0);
}

TEST(wire_writer_overflow_is_sticky)
{
	uint8_t buf[8];
	struct wire_w w;

	wire_w_init(&w, buf, sizeof buf);
	wire_put_u32(&w, 1);
	wire_put_u64(&w, 2);		/* does not fit */
	wire_put_u8(&w, 3);		/* would fit, but over is sticky */
	CHECK(w.over);
	CHECK_INT(w.len, 4);
	CHECK(wire_put_space(&w, 1) == NULL);
}

TEST(wire_reader_short_is_sticky)
{
	const uint8_t buf[5] = { 0, 0, 0, 7, 9 };
	struct wire_r r;

	wire_r_init(&r, buf, sizeof buf);
	CHECK_INT(wire_get_u32(&r), 7);
	CHECK_INT(wire_get_u16(&r), 0);	/* only 1 byte left */
	CHECK(r.short_read);
	CHECK_INT(wire_get_u8(&r), 0);	/* sticky: 9 is not read */
	CHECK(wire_get_bytes(&r, 0) == NULL);
	CHECK_INT(wire_left(&r), 0);
	CHECK(wire_r_done(&r) < 0);
}

TEST(wire_reader_trailing_bytes)
{
	const uint8_t buf[3] = { 1, 2, 3 };
	struct wire_r r;

	wire_r_init(&r, buf, sizeof buf);
	wire_get_u16(&r);
	CHECK_INT(wire_left(&r), 1);
	CHECK(wire_r_done(&r) < 0);	/* unread byte is an error too */
	wire_get_u8(&r);
	CHECK_INT(wire_r_done(&r), 0);
}

TEST(wire_huge_lengths_refused)
{
	uint8_t buf[4] = { 0 };
	struct wire_r r;
	struct wire_w w;

	wire_r_init(&r, buf, sizeof buf);
	wire_get_u8(&r);
	CHECK(wire_get_bytes(&r, (size_t)-1) == NULL);	/* no wrap-around */
	wire_w_init(&w, buf, sizeof buf);
	wire_put_u8(&w, 1);
	CHECK(wire_put_space(&w, (size_t)-1) == NULL);
}
