/* SPDX-License-Identifier: GPL-2.0 */
/* IS_ENABLED() and friends, as the kernel's include/linux/kconfig.h has them. */
#ifndef HELLO_KCONFIG_H
#define HELLO_KCONFIG_H

#define __ARG_PLACEHOLDER_1 0,
#define __take_second_arg(__ignored, val, ...) val
#define __is_defined(x)			___is_defined(x)
#define ___is_defined(val)		____is_defined(__ARG_PLACEHOLDER_##val)
#define ____is_defined(arg1_or_junk)	__take_second_arg(arg1_or_junk 1, 0)
#define __or(x, y)			___or(x, y)
#define ___or(x, y)			____or(__ARG_PLACEHOLDER_##x, y)
#define ____or(arg1_or_junk, y)		__take_second_arg(arg1_or_junk 1, y)

/* y: 1; m or n: 0 */
#define IS_BUILTIN(option) __is_defined(option)
/* m: 1; y or n: 0 */
#define IS_MODULE(option) __is_defined(option##_MODULE)
/* y or m: 1 */
#define IS_ENABLED(option) __or(IS_BUILTIN(option), IS_MODULE(option))
/* usable from here: built in, or a module and we are one too */
#define IS_REACHABLE(option) __or(IS_BUILTIN(option), \
				__and(IS_MODULE(option), __is_defined(MODULE)))
#define __and(x, y)			___and(x, y)
#define ___and(x, y)			____and(__ARG_PLACEHOLDER_##x, y)
#define ____and(arg1_or_junk, y)	__take_second_arg(arg1_or_junk y, 0)

#endif
