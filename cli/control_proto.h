/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KNIT_CLI_CONTROL_PROTO_H
#define KNIT_CLI_CONTROL_PROTO_H

#include <json-c/json.h>

#include "knit/util.h"

/*
 * The control socket's protocol, without any I/O: one JSON object per
 * line each way. A request is {"execute":"NAME"[,"arguments":{...}]
 * [,"id":ANY]}; its reply {"return":ANY} or {"error":{"class":"...",
 * "desc":"..."}}, carrying the request's "id" when it had one.
 */

#define CTL_MAX_LINE		(64 * 1024)	/* with its newline */
#define CTL_MAX_ARGS		4

/* Error classes, QMP's names. */
#define CTL_GENERIC_ERROR	"GenericError"
#define CTL_COMMAND_NOT_FOUND	"CommandNotFound"

struct ctl_error {
	const char *class;
	char desc[512];
};

void ctl_error_set(struct ctl_error *err, const char *class,
		   const char *fmt, ...) __printf(3, 4);

/* Bytes read from a stream socket, cut into lines. */
struct ctl_linebuf {
	size_t start;		/* first byte not handed out yet */
	size_t scanned;		/* buf[start..scanned) holds no newline */
	size_t len;		/* bytes held, from buf[0] */
	char buf[CTL_MAX_LINE];
};

void ctl_linebuf_init(struct ctl_linebuf *lb);
/*
 * Where the next read may go, and how much room there is: never 0 once
 * ctl_linebuf_next() has returned 0.
 */
char *ctl_linebuf_space(struct ctl_linebuf *lb, size_t *room);
/* n bytes were read into the space. */
void ctl_linebuf_commit(struct ctl_linebuf *lb, size_t n);
/*
 * The next complete line, NUL-terminated in place, without its "\n" or
 * "\r\n"; valid until the next call to space(). Returns 1 with a line,
 * 0 when none is complete yet, -EMSGSIZE when the buffer is full and
 * still holds no newline (the line is too long: give up on the stream).
 */
int ctl_linebuf_next(struct ctl_linebuf *lb, char **line, size_t *len);
/* Bytes of an unfinished line held. */
size_t ctl_linebuf_pending(const struct ctl_linebuf *lb);

/* A parsed request; the strings and objects belong to obj. */
struct ctl_request {
	struct json_object *obj;
	const char *execute;
	struct json_object *args;	/* an object, or NULL */
	struct json_object *id;		/* NULL when absent */
};

/*
 * Parse one line of len bytes; line[len] must be '\0'. On failure err
 * says why, req->id is still filled when the line was an object with an
 * "id", and the result is -EINVAL. Either way ctl_request_free()
 * releases what was parsed.
 */
int ctl_request_parse(const char *line, size_t len, struct ctl_request *req,
		      struct ctl_error *err);
void ctl_request_free(struct ctl_request *req);

/* A string argument, or NULL when it is absent (the table said optional). */
const char *ctl_arg_str(const struct ctl_request *req, const char *key);

struct ctl_arg {
	const char *name;
	enum json_type type;
	bool required;
};

/*
 * One command: fn fills *ret (a new object, or NULL for {}) and returns
 * 0, or fills err and returns -errno. args lists what it takes; the
 * protocol layer rejects missing, unexpected and mistyped arguments
 * before fn runs.
 */
struct ctl_command {
	const char *name;
	int (*fn)(void *ctx, const struct ctl_request *req,
		  struct json_object **ret, struct ctl_error *err);
	struct ctl_arg args[CTL_MAX_ARGS];
};

/*
 * Replies as malloc'd lines ending in "\n". id, when not NULL, is copied
 * into the reply; ret is consumed (NULL stands for {}).
 */
char *ctl_reply_return(struct json_object *ret, struct json_object *id);
char *ctl_reply_error(const struct ctl_error *err, struct json_object *id);

/*
 * Parse a request line (NUL-terminated as above), find its command in
 * table, check its arguments, run it. *reply is the malloc'd reply line,
 * or NULL for a blank line (no reply is due). Returns 0 or -ENOMEM.
 */
int ctl_handle_line(const struct ctl_command *table, size_t nr, void *ctx,
		    const char *line, size_t len, char **reply);

#endif
