// SPDX-License-Identifier: GPL-2.0
#include <hello/gpio.h>
#include <hello/module.h>
#include <hello/notifier.h>
#include <hello/printk.h>

static void led_blink(int n, const char *text)
{
	int led;

	for (led = 0; led < CONFIG_HELLO_LED_COUNT; led++) {
		gpio_set(led, 1);
		gpio_set(led, 0);
	}
	pr_info("greeting %d: blinked %d LED(s)", n, CONFIG_HELLO_LED_COUNT);
}

static int led_init(void)
{
	pr_info("%d LED(s) (%s)", CONFIG_HELLO_LED_COUNT, THIS_MODULE_KIND);
	register_greet_hook(led_blink);
	return 0;
}
module_init(led_init)
