// SPDX-License-Identifier: GPL-2.0
#include <hello/crc32.h>
#include <hello/module.h>
#include <hello/printk.h>

static uint32_t table[256];

uint32_t crc32_le(uint32_t crc, const void *data, size_t len)
{
	const unsigned char *p = data;

	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return crc;
}

static int crc32_init(void)
{
	uint32_t i, j, c;

	for (i = 0; i < 256; i++) {
		for (c = i, j = 0; j < 8; j++)
			c = c & 1 ? 0xedb88320 ^ (c >> 1) : c >> 1;
		table[i] = c;
	}
	pr_info("table ready (%s)", THIS_MODULE_KIND);
	return 0;
}
module_init(crc32_init)
