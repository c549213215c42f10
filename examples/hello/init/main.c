// SPDX-License-Identifier: GPL-2.0
/* start_kernel(), for a greeting: print the configuration, run the initcalls,
 * load the modules, then greet. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <hello/module.h>
#include <hello/notifier.h>
#include <hello/printk.h>
#include <hello/string.h>

extern const char hello_banner[];

#if defined(CONFIG_HELLO_LANG_DE)
#define GREETING "Hallo"
#define LANGUAGE "German"
#elif defined(CONFIG_HELLO_LANG_FR)
#define GREETING "Bonjour"
#define LANGUAGE "French"
#else
#define GREETING "Hello"
#define LANGUAGE "English"
#endif

static void print_configuration(void)
{
	printf("%s\n", hello_banner);
	printf("Configuration:\n");
	printf("  name:        %s\n", CONFIG_HELLO_NAME);
	printf("  language:    %s\n", LANGUAGE);
	printf("  repeat:      %d\n", CONFIG_HELLO_REPEAT);
	printf("  buffer size: %d\n", CONFIG_HELLO_BUFFER_SIZE);
	printf("  modules:     %s\n", IS_ENABLED(CONFIG_MODULES) ? "yes" : "no");
}

int main(int argc, char **argv)
{
	char text[128], name[64];
	int i;

	print_configuration();
	do_initcalls();
#ifdef CONFIG_MODULES
	/* the modules are next to the executable, listed in modules.order */
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n > 0) {
		self[n] = '\0';
		*strrchr(self, '/') = '\0';
		if (load_modules(self))
			return 1;
	}
#endif
	strscpy(name, CONFIG_HELLO_NAME, sizeof(name));
	for (i = 1; i <= CONFIG_HELLO_REPEAT; i++) {
		snprintf(text, sizeof(text), "%s, %s!", GREETING, name);
		printk("%s\n", text);
		call_greet_hooks(i, text);
	}
	pr_debug("%d greetings done", CONFIG_HELLO_REPEAT);
	(void)argc; (void)argv;
	return 0;
}
