// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include <hello/crc32.h>
#include <hello/gpio.h>
#include <hello/module.h>
#include <hello/notifier.h>
#include <hello/printk.h>

static void can_send(int n, const char *text)
{
	gpio_set(7, 1);
	pr_info("greeting %d: CAN frame, crc %08x", n, crc32_le(~0u, text, strlen(text)));
	gpio_set(7, 0);
}

static int can_init(void)
{
	pr_info("%s CAN bus sender (%s)", DRIVER_CLASS, THIS_MODULE_KIND);
	register_greet_hook(can_send);
	return 0;
}
module_init(can_init)
