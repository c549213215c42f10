/* SPDX-License-Identifier: GPL-2.0 */
#ifndef HELLO_NOTIFIER_H
#define HELLO_NOTIFIER_H

/* Called after each greeting with its number and text */
typedef void (*greet_hook_t)(int n, const char *text);

void register_greet_hook(greet_hook_t hook);
void call_greet_hooks(int n, const char *text);

#endif
