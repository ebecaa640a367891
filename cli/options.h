/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_CLI_OPTIONS_H
#define KNIT_CLI_OPTIONS_H

#include "knit/config.h"

/* "512M", "2G", "4096K", "1048576": bytes, or -EINVAL / -ERANGE. */
int parse_size(const char *s, u64 *out);
/* A decimal count in [min, max], or -EINVAL / -ERANGE. */
int parse_uint(const char *s, unsigned int min, unsigned int max,
	       unsigned int *out);

/*
 * Fill cfg from `knit run` arguments (argv[0] is "run"). On a usage error
 * one line is printed and -EINVAL returned; 1 means help was printed.
 */
int parse_run_options(int argc, char **argv, struct knit_config *cfg);
void print_run_usage(void);

#endif
