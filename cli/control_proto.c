// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket's line-oriented JSON protocol: cutting a byte
 * stream into lines, parsing requests with json-c, checking them against
 * a command table and formatting replies. No I/O here.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/control_proto.h"

void ctl_error_set(struct ctl_error *err, const char *class,
		   const char *fmt, ...)
{
	va_list ap;

	err->class = class;
	va_start(ap, fmt);
	vsnprintf(err->desc, sizeof(err->desc), fmt, ap);
	va_end(ap);
}

/* ---- lines ---- */

void ctl_linebuf_init(struct ctl_linebuf *lb)
{
	lb->start = 0;
	lb->scanned = 0;
	lb->len = 0;
}

char *ctl_linebuf_space(struct ctl_linebuf *lb, size_t *room)
{
	/* Lines handed out so far are done with: move the rest to the front. */
	if (lb->start) {
		memmove(lb->buf, lb->buf + lb->start, lb->len - lb->start);
		lb->len -= lb->start;
		lb->scanned -= lb->start;
		lb->start = 0;
	}
	*room = sizeof(lb->buf) - lb->len;
	return lb->buf + lb->len;
}

void ctl_linebuf_commit(struct ctl_linebuf *lb, size_t n)
{
	lb->len += n;
}

int ctl_linebuf_next(struct ctl_linebuf *lb, char **line, size_t *len)
{
	char *nl;
	size_t n;

	/* Only new bytes are searched: a line dripping in stays linear. */
	nl = memchr(lb->buf + lb->scanned, '\n', lb->len - lb->scanned);
	if (!nl) {
		lb->scanned = lb->len;
		return lb->start == 0 && lb->len == sizeof(lb->buf) ?
			-EMSGSIZE : 0;
	}
	*line = lb->buf + lb->start;
	n = nl - *line;
	if (n && (*line)[n - 1] == '\r')
		n--;
	(*line)[n] = '\0';
	*len = n;
	lb->start = nl + 1 - lb->buf;
	lb->scanned = lb->start;
	return 1;
}

size_t ctl_linebuf_pending(const struct ctl_linebuf *lb)
{
	return lb->len - lb->start;
}

/* ---- requests ---- */

static int parse_json(const char *line, size_t len, struct json_object **out,
		      struct ctl_error *err)
{
	enum json_tokener_error jerr;
	struct json_tokener *tok;
	size_t end;

	tok = json_tokener_new();
	if (!tok) {
		ctl_error_set(err, CTL_GENERIC_ERROR, "out of memory");
		return -ENOMEM;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	/* The terminating NUL goes in too: it ends a bare number or literal. */
	*out = json_tokener_parse_ex(tok, line, len + 1);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (jerr != json_tokener_success) {
		json_object_put(*out);
		*out = NULL;
		ctl_error_set(err, CTL_GENERIC_ERROR,
			      "JSON parse error at byte %zu: %s", end,
			      json_tokener_error_desc(jerr));
		return -EINVAL;
	}
	return 0;
}

int ctl_request_parse(const char *line, size_t len, struct ctl_request *req,
		      struct ctl_error *err)
{
	struct json_object *exec;
	int ret;

	memset(req, 0, sizeof(*req));
	if (memchr(line, '\0', len)) {
		ctl_error_set(err, CTL_GENERIC_ERROR,
			      "JSON parse error: a NUL byte in the request");
		return -EINVAL;
	}
	ret = parse_json(line, len, &req->obj, err);
	if (ret)
		return ret;
	if (!json_object_is_type(req->obj, json_type_object)) {
		ctl_error_set(err, CTL_GENERIC_ERROR,
			      "a request must be a JSON object");
		return -EINVAL;
	}
	json_object_object_get_ex(req->obj, "id", &req->id);
	if (!json_object_object_get_ex(req->obj, "execute", &exec) ||
	    !json_object_is_type(exec, json_type_string)) {
		ctl_error_set(err, CTL_GENERIC_ERROR,
			      "a request needs \"execute\" with a command name");
		return -EINVAL;
	}
	req->execute = json_object_get_string(exec);
	if (json_object_object_get_ex(req->obj, "arguments", &req->args) &&
	    !json_object_is_type(req->args, json_type_object)) {
		ctl_error_set(err, CTL_GENERIC_ERROR,
			      "\"arguments\" must be a JSON object");
		return -EINVAL;
	}
	json_object_object_foreach(req->obj, key, val) {
		(void)val;
		if (strcmp(key, "execute") && strcmp(key, "arguments") &&
		    strcmp(key, "id")) {
			ctl_error_set(err, CTL_GENERIC_ERROR,
				      "unexpected member \"%s\" in the request",
				      key);
			return -EINVAL;
		}
	}
	return 0;
}

void ctl_request_free(struct ctl_request *req)
{
	json_object_put(req->obj);
	memset(req, 0, sizeof(*req));
}

const char *ctl_arg_str(const struct ctl_request *req, const char *key)
{
	struct json_object *v;

	if (!req->args || !json_object_object_get_ex(req->args, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

static const struct ctl_command *find_command(const struct ctl_command *table,
					      size_t nr, const char *name)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

static const struct ctl_arg *find_arg(const struct ctl_command *cmd,
				      const char *name)
{
	size_t i;

	for (i = 0; i < CTL_MAX_ARGS && cmd->args[i].name; i++)
		if (!strcmp(cmd->args[i].name, name))
			return &cmd->args[i];
	return NULL;
}

/* Every argument known, of its type, and every required one given. */
static int check_args(const struct ctl_command *cmd,
		      const struct ctl_request *req, struct ctl_error *err)
{
	const struct ctl_arg *a;
	struct json_object *v;
	size_t i;

	if (req->args) {
		json_object_object_foreach(req->args, key, val) {
			a = find_arg(cmd, key);
			if (!a) {
				ctl_error_set(err, CTL_GENERIC_ERROR,
					      "%s: unexpected argument \"%s\"",
					      cmd->name, key);
				return -EINVAL;
			}
			if (!json_object_is_type(val, a->type)) {
				ctl_error_set(err, CTL_GENERIC_ERROR,
					      "%s: argument \"%s\" must be a %s",
					      cmd->name, key,
					      json_type_to_name(a->type));
				return -EINVAL;
			}
		}
	}
	for (i = 0; i < CTL_MAX_ARGS && cmd->args[i].name; i++) {
		a = &cmd->args[i];
		if (a->required && (!req->args ||
		    !json_object_object_get_ex(req->args, a->name, &v))) {
			ctl_error_set(err, CTL_GENERIC_ERROR,
				      "%s: missing argument \"%s\"", cmd->name,
				      a->name);
			return -EINVAL;
		}
	}
	return 0;
}

/* ---- replies ---- */

static char *reply_line(struct json_object *reply, struct json_object *id)
{
	const char *s;
	char *line = NULL;

	if (!reply)
		return NULL;
	if (id && json_object_object_add(reply, "id", json_object_get(id)))
		goto out;
	/* Plain output escapes newlines in strings: a reply is one line. */
	s = json_object_to_json_string_ext(reply, JSON_C_TO_STRING_PLAIN |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s && asprintf(&line, "%s\n", s) < 0)
		line = NULL;
out:
	json_object_put(reply);
	return line;
}

char *ctl_reply_return(struct json_object *ret, struct json_object *id)
{
	struct json_object *reply = json_object_new_object();

	if (!ret)
		ret = json_object_new_object();
	if (!reply || !ret ||
	    json_object_object_add(reply, "return", ret)) {
		json_object_put(reply);
		json_object_put(ret);
		return NULL;
	}
	return reply_line(reply, id);
}

char *ctl_reply_error(const struct ctl_error *err, struct json_object *id)
{
	struct json_object *reply = json_object_new_object();
	struct json_object *e = json_object_new_object();

	if (!reply || !e ||
	    json_object_object_add(e, "class",
				   json_object_new_string(err->class)) ||
	    json_object_object_add(e, "desc",
				   json_object_new_string(err->desc)) ||
	    json_object_object_add(reply, "error", e)) {
		json_object_put(reply);
		json_object_put(e);
		return NULL;
	}
	return reply_line(reply, id);
}

static bool blank(const char *line, size_t len)
{
	while (len && isspace((unsigned char)*line)) {
		line++;
		len--;
	}
	return !len;
}

int ctl_handle_line(const struct ctl_command *table, size_t nr, void *ctx,
		    const char *line, size_t len, char **reply)
{
	struct json_object *ret = NULL;
	const struct ctl_command *cmd;
	struct ctl_request req;
	struct ctl_error err;

	*reply = NULL;
	if (blank(line, len))
		return 0;
	if (ctl_request_parse(line, len, &req, &err))
		goto fail;
	cmd = find_command(table, nr, req.execute);
	if (!cmd) {
		ctl_error_set(&err, CTL_COMMAND_NOT_FOUND,
			      "unknown command \"%s\"", req.execute);
		goto fail;
	}
	if (check_args(cmd, &req, &err) || cmd->fn(ctx, &req, &ret, &err))
		goto fail;
	*reply = ctl_reply_return(ret, req.id);
	goto out;
fail:
	*reply = ctl_reply_error(&err, req.id);
out:
	ctl_request_free(&req);
	return *reply ? 0 : -ENOMEM;
}
