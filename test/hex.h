/* test/hex.h - hex digits for the test programs that read test vectors. */
#ifndef TEST_HEX_H
#define TEST_HEX_H

/* The value of hex digit c, or -1 when c is not one. */
static inline int hex_nibble(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
