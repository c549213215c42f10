// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include <hello/string.h>

size_t strscpy(char *dest, const char *src, size_t size)
{
	size_t len = strnlen(src, size - 1);

	memcpy(dest, src, len);
	dest[len] = '\0';
	return len;
}
