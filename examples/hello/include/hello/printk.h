/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HELLO_PRINTK_H
#define HELLO_PRINTK_H

#include <hello/kconfig.h>

struct console {
	const char *name;
	void (*write)(const char *text);
	struct console *next;
};

void register_console(struct console *con);
void printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#ifndef KBUILD_MODNAME
#define KBUILD_MODNAME "?"
#endif
#define pr_info(fmt, ...) printk(KBUILD_MODNAME ": " fmt "\n", ##__VA_ARGS__)

/* pr_debug() prints only with HELLO_DEBUG: every includer depends on it */
#if IS_ENABLED(CONFIG_HELLO_DEBUG)
#define pr_debug(fmt, ...) pr_info("debug: " fmt, ##__VA_ARGS__)
#else
#define pr_debug(fmt, ...) do { if (0) pr_info(fmt, ##__VA_ARGS__); } while (0)
#endif

#endif
