// SPDX-License-Identifier: GPL-2.0
#include <hello/module.h>
#include <hello/printk.h>

/* The linker defines these around the "hello_initcall" section */
extern initcall_t __start_hello_initcall[] __attribute__((weak));
extern initcall_t __stop_hello_initcall[] __attribute__((weak));

void do_initcalls(void)
{
	initcall_t *fn;

	for (fn = __start_hello_initcall; fn && fn < __stop_hello_initcall; fn++)
		if ((*fn)())
			pr_info("an initcall failed");
}
