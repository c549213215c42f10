// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include <hello/crc32.h>

#include "udp.h"

size_t udp_build_datagram(char *buf, size_t size, const char *payload)
{
	int n = snprintf(buf, size, "%s", payload);
	unsigned int crc = crc32_le(~0u, buf, n);

	return n + snprintf(buf + n, size - n, "|%08x", crc);
}
