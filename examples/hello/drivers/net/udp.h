/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UDP_H
#define UDP_H

#include <stddef.h>

/* udp_proto.c */
size_t udp_build_datagram(char *buf, size_t size, const char *payload);

#endif
