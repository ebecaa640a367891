// SPDX-License-Identifier: GPL-2.0
/*
 * nobody PROG ARGS: run PROG as uid/gid 65534 without supplementary
 * groups, so a rig scenario can see what knit says without privileges
 * (busybox has no su that works without a user database).
 */
#include <grp.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: nobody PROG [ARGS...]\n");
		return 2;
	}
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534)) {
		perror("nobody");
		return 1;
	}
	execvp(argv[1], argv + 1);
	perror(argv[1]);
	return 127;
}
