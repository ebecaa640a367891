/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_TESTS_STDERR_CAPTURE_H
#define KNIT_TESTS_STDERR_CAPTURE_H

/*
 * What the code under test printed on stderr between capture_start()
 * and capture_end(), in err. Include after <cmocka.h>.
 */
#include <stdio.h>
#include <unistd.h>

static char err[4096];
static int saved_stderr = -1;
static FILE *err_file;

static void capture_start(void)
{
	fflush(stderr);
	err_file = tmpfile();
	assert_non_null(err_file);
	saved_stderr = dup(STDERR_FILENO);
	dup2(fileno(err_file), STDERR_FILENO);
}

static void capture_end(void)
{
	size_t n;

	fflush(stderr);
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	rewind(err_file);
	n = fread(err, 1, sizeof(err) - 1, err_file);
	err[n] = '\0';
	fclose(err_file);
}

/* How many lines s holds. */
static inline int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

#endif
