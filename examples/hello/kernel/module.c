// SPDX-License-Identifier: GPL-2.0
/* The module loader: every module in modules.order, dlopen()ed, then its
 * hello_module_init() called (all loaded first, so modules may use each
 * other in any order). */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <hello/module.h>
#include <hello/printk.h>

#define MAX_MODULES 32

int load_modules(const char *dir)
{
	void *handles[MAX_MODULES];
	char names[MAX_MODULES][256];
	char path[4096], line[256];
	int n = 0, i;
	FILE *order;

	snprintf(path, sizeof(path), "%s/modules.order", dir);
	order = fopen(path, "r");
	if (!order)
		return 0;
	while (n < MAX_MODULES && fgets(line, sizeof(line), order)) {
		char *dot = strrchr(line, '.');

		if (!dot)
			continue;
		strcpy(dot, ".so");
		snprintf(path, sizeof(path), "%s/%s", dir, line);
		handles[n] = dlopen(path, RTLD_LAZY | RTLD_GLOBAL);
		if (!handles[n]) {
			fprintf(stderr, "module: %s\n", dlerror());
			fclose(order);
			return 1;
		}
		snprintf(names[n], sizeof(names[n]), "%s", line);
		n++;
	}
	fclose(order);
	for (i = 0; i < n; i++) {
		initcall_t init = (initcall_t)dlsym(handles[i], "hello_module_init");

		pr_info("loaded %s", names[i]);
		if (init && init())
			pr_info("%s: init failed", names[i]);
	}
	return 0;
}
