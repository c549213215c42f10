// SPDX-License-Identifier: GPL-2.0
#include <hello/gpio.h>
#include <hello/module.h>
#include <hello/printk.h>

static int gpio_state[32];

void gpio_set(int pin, int value)
{
	gpio_state[pin & 31] = value;
	pr_debug("pin %d -> %d", pin, value);
}

static int gpio_init(void)
{
	pr_info("%s GPIO controller (%s)", DRIVER_CLASS, THIS_MODULE_KIND);
	return 0;
}
module_init(gpio_init)
