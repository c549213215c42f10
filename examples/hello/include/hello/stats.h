/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HELLO_STATS_H
#define HELLO_STATS_H

#include <hello/kconfig.h>

#if IS_REACHABLE(CONFIG_HELLO_STATS)
void stats_inc(const char *what);
#else
static inline void stats_inc(const char *what) { (void)what; }
#endif

#endif
