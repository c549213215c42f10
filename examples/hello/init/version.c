// SPDX-License-Identifier: GPL-2.0
#include <hello/printk.h>

#include "build-info.h"		/* generated in the build directory (init/Kbuild) */

const char hello_banner[] =
	"hello version " CONFIG_HELLO_VERSION_STRING " (" HELLO_COMPILER " " HELLO_CC_VERSION ")";
