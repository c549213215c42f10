// SPDX-License-Identifier: GPL-2.0
#include <hello/printk.h>

const char hello_banner[] =
	"hello version " CONFIG_HELLO_VERSION_STRING " (" HELLO_COMPILER ")";
