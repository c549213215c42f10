/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HELLO_CRC32_H
#define HELLO_CRC32_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32_le(uint32_t crc, const void *data, size_t len);

#endif
