// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
#include <stdio.h>

#include <hello/printk.h>

static struct console *consoles;

void register_console(struct console *con)
{
	con->next = consoles;
	consoles = con;
}

void printk(const char *fmt, ...)
{
	char buf[CONFIG_HELLO_BUFFER_SIZE];
	struct console *con;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!consoles) {		/* no console driver: early printk */
		fputs(buf, stdout);
		return;
	}
	for (con = consoles; con; con = con->next)
		con->write(buf);
}
