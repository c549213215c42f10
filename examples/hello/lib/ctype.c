// SPDX-License-Identifier: GPL-2.0
/* In lib.a but used by nobody: not linked into the image. */
#include <hello/string.h>

int hello_isupper(int c)
{
	return c >= 'A' && c <= 'Z';
}
