// SPDX-License-Identifier: GPL-2.0
/*
 * A UDP echo for the rig (busybox's nc has no UDP):
 *   udp serve PORT             answer each datagram with "echo:" + it
 *   udp send HOST PORT MSG     send MSG, print the answer; exit 1 if
 *                              none comes within 3 tries of 2 s
 *   udp blast HOST PORT N [IF] send N datagrams, 20 ms apart (out of
 *                              the interface with address IF, for a
 *                              multicast HOST)
 *   udp count GROUP PORT SECS IF  join multicast GROUP on the interface
 *                              with address IF, print how many
 *                              datagrams to PORT came within SECS
 *   udp frames IFACE MAC N     send N raw Ethernet frames to MAC out of
 *                              IFACE, 20 ms apart (a NIC's filter test)
 */
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
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

static int blast(const char *host, int port, int n, const char *ifaddr)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	struct in_addr ifa;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), i;
	char msg[32];

	if (fd < 0 || inet_pton(AF_INET, host, &a.sin_addr) != 1) {
		fprintf(stderr, "udp blast: bad address %s\n", host);
		return 1;
	}
	if (ifaddr) {
		if (inet_pton(AF_INET, ifaddr, &ifa) != 1 ||
		    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &ifa,
			       sizeof(ifa)) < 0) {
			fprintf(stderr, "udp blast: bad interface %s\n", ifaddr);
			return 1;
		}
	}
	for (i = 0; i < n; i++) {
		snprintf(msg, sizeof(msg), "blast %d", i);
		if (sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&a,
			   sizeof(a)) < 0)
			perror("udp blast");
		usleep(20000);
	}
	return 0;
}

static int count(const char *group, int port, int secs, const char *ifaddr)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	struct timeval tv = { .tv_usec = 200000 };
	struct ip_mreq mr;
	time_t end = time(NULL) + secs;
	int fd = socket(AF_INET, SOCK_DGRAM, 0), got = 0;
	char buf[2048];

	if (fd < 0 || inet_pton(AF_INET, group, &mr.imr_multiaddr) != 1 ||
	    inet_pton(AF_INET, ifaddr, &mr.imr_interface) != 1 ||
	    inet_pton(AF_INET, group, &a.sin_addr) != 1) {
		fprintf(stderr, "udp count: bad address\n");
		return 1;
	}
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr,
		       sizeof(mr)) < 0) {
		perror("udp count");
		return 1;
	}
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (time(NULL) < end)
		if (recv(fd, buf, sizeof(buf), 0) > 0)
			got++;
	printf("%d\n", got);
	return 0;
}

static int frames(const char *ifname, const char *mac, int n)
{
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_halen = 6 };
	unsigned char f[64] = { 0 };
	unsigned int m[6];
	int fd = socket(AF_PACKET, SOCK_RAW, 0), i;

	if (sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3],
		   &m[4], &m[5]) != 6) {
		fprintf(stderr, "udp frames: bad MAC %s\n", mac);
		return 1;
	}
	ll.sll_ifindex = if_nametoindex(ifname);
	if (fd < 0 || !ll.sll_ifindex) {
		perror("udp frames");
		return 1;
	}
	for (i = 0; i < 6; i++)
		f[i] = ll.sll_addr[i] = m[i];
	/* From a made-up local address; EtherType 0x88b5, for experiments. */
	memcpy(f + 6, "\x02\x00\x00\x00\x00\x01", 6);
	f[12] = 0x88;
	f[13] = 0xb5;
	for (i = 0; i < n; i++) {
		f[14] = i;
		if (sendto(fd, f, sizeof(f), 0, (struct sockaddr *)&ll,
			   sizeof(ll)) < 0)
			perror("udp frames");
		usleep(20000);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "serve"))
		return serve(atoi(argv[2]));
	if (argc == 5 && !strcmp(argv[1], "send"))
		return send_one(argv[2], atoi(argv[3]), argv[4]);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "blast"))
		return blast(argv[2], atoi(argv[3]), atoi(argv[4]),
			     argc == 6 ? argv[5] : NULL);
	if (argc == 5 && !strcmp(argv[1], "frames"))
		return frames(argv[2], argv[3], atoi(argv[4]));
	if (argc == 6 && !strcmp(argv[1], "count"))
		return count(argv[2], atoi(argv[3]), atoi(argv[4]), argv[5]);
	fprintf(stderr, "usage: udp serve PORT | udp send HOST PORT MSG | udp blast HOST PORT N [IF] | udp count GROUP PORT SECS IF | udp frames IFACE MAC N\n");
	return 2;
}
