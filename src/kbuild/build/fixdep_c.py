"""The C version of :mod:`kbuild.build.fixdep`, built by the build itself.

fixdep runs once per compile, so its start-up time counts: the Python version
costs about 20-40 ms per object (an interpreter start), this one about 1 ms
(as the kernel builds scripts/basic/fixdep with the host compiler before
anything else).  ``build.ninja`` writes :data:`SOURCE` to ``.kbuild/fixdep.c``
in the build directory and compiles it with ``HOSTCC``; every compile waits for
it (order-only, so a new fixdep rebuilds nothing).  Same command line, same
output as the Python version (a test compares them).

Kept as a string in a Python module so that it is installed with the package
like the rest of the code.
"""

SOURCE = r"""/* fixdep for kbuild build (generated from kbuild/build/fixdep_c.py: do not edit).
 *
 * usage: fixdep STAMPDIR [SCANROOT...] DEPFILE TARGET
 *
 * Rewrites the gcc depfile DEPFILE for TARGET: drops include/generated/autoconf.h,
 * adds STAMPDIR/<SYMBOL> for every CONFIG_<SYMBOL> word in the listed files
 * (CONFIG_FOO_MODULE counts as FOO), creating missing stamps with an old
 * timestamp.  Absolute paths outside the SCANROOTs are kept but not read.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#define OLD_STAMP_TIME 946684800L

static const char *prog = "fixdep";

static void die(const char *what, const char *path)
{
	fprintf(stderr, "%s: %s: %s\n", prog, path, strerror(errno));
	(void)what;
	exit(1);
}

static char *read_file(const char *path, size_t *len)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return NULL;
	}
	buf = malloc(st.st_size + 1);
	if (!buf)
		exit(2);
	while (got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, st.st_size - got);

		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	*len = got;
	return buf;
}

struct list {
	char **items;
	int n, cap;
};

static void push(struct list *l, char *s)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->items = realloc(l->items, l->cap * sizeof(char *));
		if (!l->items)
			exit(2);
	}
	l->items[l->n++] = s;
}

static int contains(const struct list *l, const char *s, size_t len)
{
	int i;

	for (i = 0; i < l->n; i++)
		if (strlen(l->items[i]) == len && !memcmp(l->items[i], s, len))
			return 1;
	return 0;
}

static int is_word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

static void scan(const char *data, size_t len, struct list *symbols)
{
	const char *p = data, *end = data + len;

	while ((p = memmem(p, end - p, "CONFIG_", 7)) != NULL) {
		const char *q, *r;

		if (p > data && is_word(p[-1])) {
			p += 7;
			continue;
		}
		p += 7;
		for (q = p; q < end && is_word(*q); q++)
			;
		r = q;
		if (q - p >= 7 && !memcmp(q - 7, "_MODULE", 7))
			r = q - 7;
		if (r > p && !contains(symbols, p, r - p)) {
			char *s = malloc(r - p + 1);

			memcpy(s, p, r - p);
			s[r - p] = '\0';
			push(symbols, s);
		}
		p = q;
	}
}

static int ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static void put_escaped(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\\' || *s == ' ' || *s == '#')
			fputc('\\', f);
		else if (*s == '$')
			fputc('$', f);
		fputc(*s, f);
	}
}

int main(int argc, char **argv)
{
	struct list deps = { 0 }, symbols = { 0 };
	const char *stampdir, *depfile, *target;
	char **roots;
	int nroots, i;
	size_t len;
	char *text, *p, *colon, *tmp;
	FILE *out;

	if (argc < 4) {
		fprintf(stderr, "usage: fixdep STAMPDIR [SCANROOT...] DEPFILE TARGET\n");
		return 2;
	}
	stampdir = argv[1];
	roots = argv + 2;
	nroots = argc - 4;
	depfile = argv[argc - 2];
	target = argv[argc - 1];

	text = read_file(depfile, &len);
	if (!text)
		die("open", depfile);
	colon = strstr(text, ": ");
	if (!colon)
		colon = strrchr(text, ':');
	if (!colon) {
		fprintf(stderr, "%s: %s: no rule\n", prog, depfile);
		return 1;
	}
	/* words after the colon: backslash-newline is a space, \x is x */
	p = colon + 1;
	for (;;) {
		char *w, *o;

		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' ||
		       (*p == '\\' && (p[1] == '\n' || p[1] == '\r')))
			p += *p == '\\' ? 2 : 1;
		if (!*p)
			break;
		w = o = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') {
			if (*p == '\\' && p[1] && p[1] != '\n' && p[1] != '\r')
				p++;
			else if (*p == '\\')
				break;
			*o++ = *p++;
		}
		if (*p)
			p++;
		*o = '\0';
		if (*w)
			push(&deps, w);
	}

	for (i = 0; i < deps.n; i++) {
		const char *dep = deps.items[i];
		char *data;
		int j, inside = nroots == 0;

		if (ends_with(dep, "include/generated/autoconf.h"))
			continue;
		if (dep[0] == '/') {
			for (j = 0; j < nroots && !inside; j++) {
				size_t n = strlen(roots[j]);

				while (n > 1 && roots[j][n - 1] == '/')
					n--;
				inside = !strncmp(dep, roots[j], n) && dep[n] == '/';
			}
			if (!inside)
				continue;
		}
		data = read_file(dep, &len);
		if (!data)
			continue;
		if (memmem(data, len, "CONFIG_", 7))
			scan(data, len, &symbols);
		free(data);
	}

	tmp = malloc(strlen(depfile) + 5);
	sprintf(tmp, "%s.tmp", depfile);
	out = fopen(tmp, "w");
	if (!out)
		die("open", tmp);
	put_escaped(out, target);
	fputc(':', out);
	for (i = 0; i < deps.n; i++) {
		if (ends_with(deps.items[i], "include/generated/autoconf.h"))
			continue;
		fputs(" \\\n  ", out);
		put_escaped(out, deps.items[i]);
	}
	for (i = 0; i < symbols.n; i++) {
		size_t n = strlen(stampdir) + strlen(symbols.items[i]) + 2;
		char *stamp = malloc(n);
		struct stat st;

		snprintf(stamp, n, "%s/%s", stampdir, symbols.items[i]);
		if (stat(stamp, &st) < 0) {
			struct timeval tv[2] = { { OLD_STAMP_TIME, 0 }, { OLD_STAMP_TIME, 0 } };
			int fd;

			mkdir(stampdir, 0755);
			fd = open(stamp, O_WRONLY | O_CREAT, 0644);
			if (fd < 0)
				die("create", stamp);
			close(fd);
			if (utimes(stamp, tv) < 0)
				die("utimes", stamp);
		}
		fputs(" \\\n  ", out);
		put_escaped(out, stamp);
		free(stamp);
	}
	fputc('\n', out);
	if (fclose(out) != 0)
		die("write", tmp);
	if (rename(tmp, depfile) < 0)
		die("rename", depfile);
	return 0;
}
"""
