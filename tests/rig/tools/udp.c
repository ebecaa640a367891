// SPDX-License-Identifier: GPL-2.0
/*
 * A UDP echo for the rig (busybox's nc has no UDP):
 *   udp serve PORT             answer each datagram with "echo:" + it
 *   udp send HOST PORT MSG     send MSG, print the answer; exit 1 if
 *                              none comes within 3 tries of 2 s
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static int serve(int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	char buf[2048], out[2100];
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		perror("udp serve");
		return 1;
	}
	for (;;) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0,
				     (struct sockaddr *)&from, &fl);

		if (n < 0)
			continue;
		memcpy(out, "echo:", 5);
		memcpy(out + 5, buf, n);
		sendto(fd, out, n + 5, 0, (struct sockaddr *)&from, fl);
	}
}

static int send_one(const char *host, int port, const char *msg)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = 2 };
	char buf[2100];
	int fd = socket(AF_INET, SOCK_DGRAM, 0), i;

	if (fd < 0 || inet_pton(AF_INET, host, &a.sin_addr) != 1) {
		fprintf(stderr, "udp send: bad address %s\n", host);
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (i = 0; i < 3; i++) {
		ssize_t n;

		sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&a,
		       sizeof(a));
		n = recv(fd, buf, sizeof(buf) - 1, 0);
		if (n > 0) {
			buf[n] = '\0';
			printf("%s\n", buf);
			return 0;
		}
	}
	fprintf(stderr, "udp send: no answer from %s:%d\n", host, port);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "serve"))
		return serve(atoi(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "send"))
		return send_one(argv[2], atoi(argv[3]), argv[4]);
	fprintf(stderr, "usage: udp serve PORT | udp send HOST PORT MSG\n");
	return 2;
}
