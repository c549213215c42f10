// SPDX-License-Identifier: GPL-2.0
#include <hello/notifier.h>

#define MAX_HOOKS 16

static greet_hook_t hooks[MAX_HOOKS];
static int nr_hooks;

void register_greet_hook(greet_hook_t hook)
{
	if (nr_hooks < MAX_HOOKS)
		hooks[nr_hooks++] = hook;
}

void call_greet_hooks(int n, const char *text)
{
	int i;

	for (i = 0; i < nr_hooks; i++)
		hooks[i](n, text);
}
