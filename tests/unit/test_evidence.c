/* test_evidence.c - the type of an upload is read from its bytes; file names
 * for Content-Disposition are RFC 5987 encoded. */
#include <string.h>

#include "evidence.h"
#include "harness.h"

void test_evidence_sniff(void)
{
	static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F'};
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};
	static const unsigned char gif[] = {'G', 'I', 'F', '8', '9', 'a'};
	char out[256];

	CHECK(evidence_sniff(jpeg, sizeof(jpeg)) && !strcmp(evidence_sniff(jpeg, sizeof(jpeg)), "image/jpeg"), "JPEG");
	CHECK(evidence_sniff(png, sizeof(png)) && !strcmp(evidence_sniff(png, sizeof(png)), "image/png"), "PNG");
	CHECK(evidence_sniff((const unsigned char *)"%PDF-1.7\n", 9) &&
		      !strcmp(evidence_sniff((const unsigned char *)"%PDF-1.7\n", 9), "application/pdf"),
	      "PDF");
	CHECK(!evidence_sniff(gif, sizeof(gif)), "GIF is not accepted");
	CHECK(!evidence_sniff(png, 7), "a truncated PNG signature is nothing");
	CHECK(!evidence_sniff((const unsigned char *)"<html>", 6), "HTML is nothing");
	CHECK(evidence_rfc5987("整改 照片(1).jpg", out, sizeof(out)) == 0 &&
		      !strcmp(out, "%E6%95%B4%E6%94%B9%20%E7%85%A7%E7%89%87%281%29.jpg"),
	      "RFC 5987 encoding: %s", out);
	CHECK(evidence_rfc5987("整改", out, 6) == -1, "too small a buffer is refused");
}

