/* lower.c: Python's str.lower(), which Django applies to a model's name
 * (Options.model_name, hence the default table app_model and every
 * "app.model" key).  The tables cover every code point below U+0530
 * (ASCII, Latin-1 Supplement, Latin Extended-A and -B, IPA, Greek and
 * Coptic, Cyrillic and its Supplement) as Python 3.11's Unicode data
 * lowers them; scripts without case (CJK, kana, Hangul, Arabic, Hebrew,
 * Thai, Devanagari, emoji) are left as they are.  Any other character
 * is not guessed at: py_lower() refuses the name. */
#include <stdlib.h>
#include <string.h>

#include "base.h"

/* Lowered by a constant delta: first, last, step between them. */
static const struct {
	unsigned first, last, step;
	int delta;
} runs[] = {
	{ 0x0041, 0x005A, 1, 32 },
	{ 0x00C0, 0x00D6, 1, 32 },
	{ 0x00D8, 0x00DE, 1, 32 },
	{ 0x0100, 0x012E, 2, 1 },
	{ 0x0132, 0x0136, 2, 1 },
	{ 0x0139, 0x0147, 2, 1 },
	{ 0x014A, 0x0176, 2, 1 },
	{ 0x0178, 0x0178, 1, -121 },
	{ 0x0179, 0x017D, 2, 1 },
	{ 0x0181, 0x0181, 1, 210 },
	{ 0x0182, 0x0184, 2, 1 },
	{ 0x0186, 0x0186, 1, 206 },
	{ 0x0187, 0x0187, 1, 1 },
	{ 0x0189, 0x018A, 1, 205 },
	{ 0x018B, 0x018B, 1, 1 },
	{ 0x018E, 0x018E, 1, 79 },
	{ 0x018F, 0x018F, 1, 202 },
	{ 0x0190, 0x0190, 1, 203 },
	{ 0x0191, 0x0191, 1, 1 },
	{ 0x0193, 0x0193, 1, 205 },
	{ 0x0194, 0x0194, 1, 207 },
	{ 0x0196, 0x0196, 1, 211 },
	{ 0x0197, 0x0197, 1, 209 },
	{ 0x0198, 0x0198, 1, 1 },
	{ 0x019C, 0x019C, 1, 211 },
	{ 0x019D, 0x019D, 1, 213 },
	{ 0x019F, 0x019F, 1, 214 },
	{ 0x01A0, 0x01A4, 2, 1 },
	{ 0x01A6, 0x01A6, 1, 218 },
	{ 0x01A7, 0x01A7, 1, 1 },
	{ 0x01A9, 0x01A9, 1, 218 },
	{ 0x01AC, 0x01AC, 1, 1 },
	{ 0x01AE, 0x01AE, 1, 218 },
	{ 0x01AF, 0x01AF, 1, 1 },
	{ 0x01B1, 0x01B2, 1, 217 },
	{ 0x01B3, 0x01B5, 2, 1 },
	{ 0x01B7, 0x01B7, 1, 219 },
	{ 0x01B8, 0x01B8, 1, 1 },
	{ 0x01BC, 0x01BC, 1, 1 },
	{ 0x01C4, 0x01C4, 1, 2 },
	{ 0x01C5, 0x01C5, 1, 1 },
	{ 0x01C7, 0x01C7, 1, 2 },
	{ 0x01C8, 0x01C8, 1, 1 },
	{ 0x01CA, 0x01CA, 1, 2 },
	{ 0x01CB, 0x01DB, 2, 1 },
	{ 0x01DE, 0x01EE, 2, 1 },
	{ 0x01F1, 0x01F1, 1, 2 },
	{ 0x01F2, 0x01F4, 2, 1 },
	{ 0x01F6, 0x01F6, 1, -97 },
	{ 0x01F7, 0x01F7, 1, -56 },
	{ 0x01F8, 0x021E, 2, 1 },
	{ 0x0220, 0x0220, 1, -130 },
	{ 0x0222, 0x0232, 2, 1 },
	{ 0x023A, 0x023A, 1, 10795 },
	{ 0x023B, 0x023B, 1, 1 },
	{ 0x023D, 0x023D, 1, -163 },
	{ 0x023E, 0x023E, 1, 10792 },
	{ 0x0241, 0x0241, 1, 1 },
	{ 0x0243, 0x0243, 1, -195 },
	{ 0x0244, 0x0244, 1, 69 },
	{ 0x0245, 0x0245, 1, 71 },
	{ 0x0246, 0x024E, 2, 1 },
	{ 0x0370, 0x0372, 2, 1 },
	{ 0x0376, 0x0376, 1, 1 },
	{ 0x037F, 0x037F, 1, 116 },
	{ 0x0386, 0x0386, 1, 38 },
	{ 0x0388, 0x038A, 1, 37 },
	{ 0x038C, 0x038C, 1, 64 },
	{ 0x038E, 0x038F, 1, 63 },
	{ 0x0391, 0x03A1, 1, 32 },
	{ 0x03A3, 0x03AB, 1, 32 },
	{ 0x03CF, 0x03CF, 1, 8 },
	{ 0x03D8, 0x03EE, 2, 1 },
	{ 0x03F4, 0x03F4, 1, -60 },
	{ 0x03F7, 0x03F7, 1, 1 },
	{ 0x03F9, 0x03F9, 1, -7 },
	{ 0x03FA, 0x03FA, 1, 1 },
	{ 0x03FD, 0x03FF, 1, -130 },
	{ 0x0400, 0x040F, 1, 80 },
	{ 0x0410, 0x042F, 1, 32 },
	{ 0x0460, 0x0480, 2, 1 },
	{ 0x048A, 0x04BE, 2, 1 },
	{ 0x04C0, 0x04C0, 1, 15 },
	{ 0x04C1, 0x04CD, 2, 1 },
	{ 0x04D0, 0x052E, 2, 1 },
};

/* Cased letters (Unicode's Cased) below U+0530, for the final sigma. */
static const struct {
	unsigned first, last;
} cased[] = {
	{ 0x0041, 0x005A },
	{ 0x0061, 0x007A },
	{ 0x00AA, 0x00AA },
	{ 0x00B5, 0x00B5 },
	{ 0x00BA, 0x00BA },
	{ 0x00C0, 0x00D6 },
	{ 0x00D8, 0x00F6 },
	{ 0x00F8, 0x01BA },
	{ 0x01BC, 0x01BF },
	{ 0x01C4, 0x0293 },
	{ 0x0295, 0x02AF },
	{ 0x0345, 0x0345 },
	{ 0x0370, 0x0373 },
	{ 0x0376, 0x0377 },
	{ 0x037B, 0x037D },
	{ 0x037F, 0x037F },
	{ 0x0386, 0x0386 },
	{ 0x0388, 0x038A },
	{ 0x038C, 0x038C },
	{ 0x038E, 0x03A1 },
	{ 0x03A3, 0x03F5 },
	{ 0x03F7, 0x0481 },
	{ 0x048A, 0x052F },
};

/* Case-ignorable characters below U+0530 (a sigma beside one is refused
 * rather than looked past). */
static int ignorable(unsigned c)
{
	return (c < 0x80 && strchr("'.:^`", (int)c) && c) || c == 0xA8 ||
	    c == 0xAD || c == 0xAF || c == 0xB4 || c == 0xB7 || c == 0xB8 ||
	    (c >= 0x2B0 && c <= 0x36F) || c == 0x374 || c == 0x375 ||
	    c == 0x37A || c == 0x384 || c == 0x385 || c == 0x387 ||
	    (c >= 0x483 && c <= 0x489);
}

/* Scripts that have no case. */
static int caseless(unsigned c)
{
	return (c >= 0x590 && c <= 0x6FF) || (c >= 0x900 && c <= 0x97F) ||
	    (c >= 0xE00 && c <= 0xE7F) || (c >= 0x3040 && c <= 0x30FF) ||
	    (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7A3) ||
	    (c >= 0x1F300 && c <= 0x1FAFF);
}

static int is_cased(unsigned c)
{
	for (size_t i = 0; i < sizeof cased / sizeof *cased; i++)
		if (c >= cased[i].first && c <= cased[i].last)
			return 1;
	return 0;
}

/* The code point at *p (valid UTF-8: the stream reader checked it), and
 * its length in *n. */
static unsigned decode(const unsigned char *p, size_t *n)
{
	if (p[0] < 0x80)
		return *n = 1, p[0];
	if (p[0] < 0xE0)
		return *n = 2, (unsigned)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
	if (p[0] < 0xF0)
		return *n = 3, (unsigned)(p[0] & 0x0F) << 12 |
		    (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	return *n = 4, (unsigned)(p[0] & 0x07) << 18 |
	    (unsigned)(p[1] & 0x3F) << 12 | (unsigned)(p[2] & 0x3F) << 6 |
	    (p[3] & 0x3F);
}

static void encode(struct buf *b, unsigned c)
{
	if (c < 0x80) {
		buf_putc(b, (int)c);
	} else if (c < 0x800) {
		buf_putc(b, (int)(0xC0 | c >> 6));
		buf_putc(b, (int)(0x80 | (c & 0x3F)));
	} else {
		buf_putc(b, (int)(0xE0 | c >> 12));
		buf_putc(b, (int)(0x80 | (c >> 6 & 0x3F)));
		buf_putc(b, (int)(0x80 | (c & 0x3F)));
	}
}

static unsigned lower_one(unsigned c)
{
	for (size_t i = 0; i < sizeof runs / sizeof *runs; i++)
		if (c >= runs[i].first && c <= runs[i].last &&
		    (c - runs[i].first) % runs[i].step == 0)
			return (unsigned)((int)c + runs[i].delta);
	return c;
}

/* Σ: ς at the end of a word (a cased letter before it, none after it),
 * σ elsewhere; 0 when a neighbour leaves it unsure. */
static unsigned sigma(const unsigned char *s, size_t at, size_t n)
{
	unsigned prev = 0, next = 0;
	size_t k, len;

	if (at > 0) {
		for (k = at - 1; k > 0 && (s[k] & 0xC0) == 0x80; k--)
			;
		prev = decode(s + k, &len);
	}
	if (s[at + n])
		next = decode(s + at + n, &len);
	if (prev >= 0x530 || next >= 0x530 || ignorable(prev) ||
	    ignorable(next))
		return 0;
	return prev && is_cased(prev) && !(next && is_cased(next)) ?
	    0x3C2 : 0x3C3;
}

char *py_lower(const char *s, unsigned long *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	struct buf b = {0};
	size_t n;

	buf_puts(&b, "");
	for (size_t i = 0; u[i]; i += n) {
		unsigned c = decode(u + i, &n), l;

		if (c == 0x130) {		/* İ: i and a combining dot */
			buf_puts(&b, "i\xCC\x87");
			continue;
		}
		l = c == 0x3A3 ? sigma(u, i, n) : c < 0x530 ? lower_one(c) :
		    caseless(c) ? c : 0;
		if (!l) {
			*bad = c;
			buf_free(&b);
			return NULL;
		}
		if (l == c)
			buf_putn(&b, s + i, n);
		else
			encode(&b, l);
	}
	return b.s;
}

int name_error;

char *name_lower(const char *s)
{
	unsigned long bad;
	char *l = py_lower(s, &bad);

	if (l)
		return l;
	warnx_("the name '%s' has U+%04lX, which migtools cannot lower as "
	    "Python's str.lower() does (lower.c covers Latin, Greek, Cyrillic "
	    "and scripts without case)", s, bad);
	name_error = 1;
	l = xstrdup(s);
	for (char *p = l; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return l;
}

int name_same(const char *a0, const char *b0)
{
	const char *a = a0, *b = b0;
	char *x, *y;
	int same;

	for (; *a && *b; a++, b++) {
		unsigned char p = (unsigned char)*a, q = (unsigned char)*b;

		if (p >= 0x80 || q >= 0x80)
			break;
		if ((p >= 'A' && p <= 'Z' ? p + 32 : p) !=
		    (q >= 'A' && q <= 'Z' ? q + 32 : q))
			return 0;
	}
	if (!*a || !*b)
		return *a == *b;
	x = name_lower(a0);	/* outside ASCII: the slow way (a final
				   sigma depends on what precedes it) */
	y = name_lower(b0);
	same = !strcmp(x, y);
	free(x);
	free(y);
	return same;
}
