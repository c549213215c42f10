// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>

#include <hello/module.h>
#include <hello/printk.h>
#include <hello/stats.h>

static int sent;

void stats_inc(const char *what)
{
	sent++;
	pr_debug("%s: %d sent", what, sent);
}

static void stats_report(void)
{
	pr_info("%d greeting(s) sent over the network", sent);
}

static int stats_init(void)
{
	atexit(stats_report);
	return 0;
}
module_init(stats_init)
