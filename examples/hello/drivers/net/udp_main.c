// SPDX-License-Identifier: GPL-2.0
#include <hello/module.h>
#include <hello/notifier.h>
#include <hello/printk.h>
#include <hello/stats.h>

#include "udp.h"

static void udp_send(int n, const char *text)
{
	char buf[256];
	size_t len = udp_build_datagram(buf, sizeof(buf), text);

	pr_info("greeting %d: %zu-byte datagram to %s:%d", n, len,
		CONFIG_HELLO_UDP_HOST, CONFIG_HELLO_UDP_PORT);
	stats_inc("udp");
}

static int udp_init(void)
{
	pr_info("%s sender for %s:%d (%s)", DRIVER_CLASS, CONFIG_HELLO_UDP_HOST,
		CONFIG_HELLO_UDP_PORT, THIS_MODULE_KIND);
	register_greet_hook(udp_send);
	return 0;
}
module_init(udp_init)
