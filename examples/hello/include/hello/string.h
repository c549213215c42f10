/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HELLO_STRING_H
#define HELLO_STRING_H

#include <stddef.h>

size_t strscpy(char *dest, const char *src, size_t size);
int hello_isupper(int c);

#endif
