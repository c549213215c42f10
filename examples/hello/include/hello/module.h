/* SPDX-License-Identifier: GPL-2.0 */
/*
 * module_init() as in the kernel: built in, the function goes into the
 * "hello_initcall" section that do_initcalls() walks in link order; in a
 * module (-DMODULE), it becomes the module's hello_module_init(), which the
 * loader calls after dlopen().
 */
#ifndef HELLO_MODULE_H
#define HELLO_MODULE_H

typedef int (*initcall_t)(void);

#ifdef MODULE
#define module_init(fn) \
	int hello_module_init(void) { return fn(); }
#define THIS_MODULE_KIND "module"
#else
#define module_init(fn) \
	static initcall_t __initcall_##fn \
	__attribute__((used, section("hello_initcall"))) = fn;
#define THIS_MODULE_KIND "built-in"
#endif

void do_initcalls(void);
int load_modules(const char *dir);

#endif
