// SPDX-License-Identifier: GPL-2.0
/* The console: printk() output goes to stdout through it. */
#include <stdio.h>

#include <hello/module.h>
#include <hello/printk.h>

static void console_write(const char *text)
{
	fputs(text, stdout);
}

static struct console hello_console = { .name = "stdout", .write = console_write };

static int console_init(void)
{
	register_console(&hello_console);
	pr_info("%s console (%s, %s) at 0x%lx", DRIVER_CLASS, hello_console.name,
		THIS_MODULE_KIND, (unsigned long)CONFIG_HELLO_BASE_ADDR);
	return 0;
}
module_init(console_init)
