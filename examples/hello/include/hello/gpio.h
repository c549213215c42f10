/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HELLO_GPIO_H
#define HELLO_GPIO_H

void gpio_set(int pin, int value);

#endif
