/* db/refusal.c - refusals and connection failures in the clerk's words;
 * see refusal.h.  No libpq, no curses: strings in, one sentence out. */
#include "db/refusal.h"

#include <string.h>

#include "common/i18n.h"

/* Hints longer than this in one argument are cut (a hint comes from our
 * own schema; the bound keeps a broken one from filling the screen). */
#define REFUSAL_ARG_MAX 64
#define REFUSAL_ARGS_MAX 9

typedef struct entry {
	const char *code;
	const char *text; /* msgid */
} entry;

static const entry refusals[] = {
#define REFUSAL(code, text) { #code, text },
#define REFUSAL_CLIENT(code, text) { #code, text },
#define REFUSAL_WORD(word, name)
#include "db/refusals.def"
#undef REFUSAL
#undef REFUSAL_CLIENT
#undef REFUSAL_WORD
};

static const entry words[] = {
#define REFUSAL(code, text)
#define REFUSAL_CLIENT(code, text)
#define REFUSAL_WORD(word, name) { #word, name },
#include "db/refusals.def"
#undef REFUSAL
#undef REFUSAL_CLIENT
#undef REFUSAL_WORD
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------ output */

/* An output buffer that is cut at a character boundary and, once cut,
 * takes nothing more (no piece of a later word after a cut one). */
typedef struct out {
	char *buf;
	size_t len, n;
	int full;
} out;

static void out_init(out *o, char *buf, size_t len)
{
	o->buf = buf;
	o->len = len;
	o->n = 0;
	o->full = len == 0;
	if (len)
		buf[0] = '\0';
}

static void out_put(out *o, const char *s, size_t n)
{
	size_t room;

	if (o->full || !n)
		return;
	room = o->len - 1 - o->n;
	if (n > room) {
		n = room;
		/* Never split a UTF-8 sequence: back up to a lead byte. */
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		o->full = 1;
	}
	memcpy(o->buf + o->n, s, n);
	o->n += n;
	o->buf[o->n] = '\0';
}

static const char *out_str(out *o, const char *s)
{
	out_put(o, s, strlen(s));
	return o->buf;
}

/* ------------------------------------------------------------ reasons */

typedef struct span {
	const char *s;
	size_t n;
} span;

typedef struct parsed {
	span code;
	span arg[REFUSAL_ARGS_MAX];
	int nargs; /* up to REFUSAL_ARGS_MAX; further ones are dropped */
} parsed;

static void parse_reason(const char *reason, parsed *p)
{
	const char *s = reason ? reason : "";
	size_t n = strcspn(s, ":");

	memset(p, 0, sizeof *p);
	p->code.s = s;
	p->code.n = n;
	s += n;
	while (*s == ':' && p->nargs < REFUSAL_ARGS_MAX) {
		s++;
		n = strcspn(s, ":");
		p->arg[p->nargs].s = s;
		p->arg[p->nargs].n = n;
		p->nargs++;
		s += n;
	}
}

static const entry *find(const entry *t, size_t count, span key)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(t[i].code) == key.n && memcmp(t[i].code, key.s, key.n) == 0)
			return &t[i];
	return NULL;
}

/* The highest %N$ a format uses (0 for none). */
static int args_needed(const char *fmt)
{
	int max = 0;

	for (const char *p = fmt; (p = strchr(p, '%')) != NULL;) {
		if (p[1] >= '1' && p[1] <= '9' && p[2] == '$') {
			if (p[1] - '0' > max)
				max = p[1] - '0';
			p += 3;
		} else {
			p += p[1] ? 2 : 1;
		}
	}
	return max;
}

/* One argument as the clerk reads it: a known word by its name, anything
 * else as it came, cut to REFUSAL_ARG_MAX bytes. */
static void put_arg(out *o, span a)
{
	const entry *w = find(words, COUNT(words), a);

	if (w) {
		out_str(o, _(w->text));
		return;
	}
	if (a.n > REFUSAL_ARG_MAX) {
		a.n = REFUSAL_ARG_MAX;
		while (a.n > 0 && ((unsigned char)a.s[a.n] & 0xC0) == 0x80)
			a.n--;
	}
	out_put(o, a.s, a.n);
}

/* Write fmt with %1$s ... %9$s replaced by the arguments and %% by %.
 * Nothing else in fmt is a directive: an argument is never a format, and
 * a stray % is copied as it is. */
static void expand(out *o, const char *fmt, const parsed *p)
{
	const char *s = fmt;

	while (*s) {
		const char *pct = strchr(s, '%');
		if (!pct) {
			out_str(o, s);
			return;
		}
		out_put(o, s, (size_t)(pct - s));
		if (pct[1] == '%') {
			out_put(o, "%", 1);
			s = pct + 2;
		} else if (pct[1] >= '1' && pct[1] <= '9' && pct[2] == '$' && pct[3] == 's') {
			int i = pct[1] - '1';
			if (i < p->nargs)
				put_arg(o, p->arg[i]);
			s = pct + 4;
		} else {
			out_put(o, "%", 1);
			s = pct + 1;
		}
	}
}

int refusal_known(const char *reason)
{
	parsed p;

	parse_reason(reason, &p);
	return p.code.n > 0 && find(refusals, COUNT(refusals), p.code) != NULL;
}

/* The sentence for a refusal without a (usable) reason. */
static const char *by_sqlstate(const char *st)
{
	static const struct {
		const char *state; /* five characters, or a two-character class */
		const char *text;
	} table[] = {
		{ "42501", N_("Your account may not do this; if it must be done, ask your supervisor.") },
		{ "55000", N_("This has changed in the meantime (perhaps a colleague dealt with it); reload and check its current state before you act again.") },
		{ "55P03", N_("Someone else is working on this right now; wait a moment and try again.") },
		{ "22023", N_("What was entered is not accepted; check it and try again.") },
		{ "P0002", N_("It cannot be found, or it is not yours to act on; reload the list and try again.") },
		{ "23505", N_("This exists already (perhaps a colleague has just saved it); reload to see it.") },
		{ "40001", N_("The database was busy with a conflicting change at the same moment, so nothing was done; please try again.") },
		{ "40P01", N_("The database was busy with a conflicting change at the same moment, so nothing was done; please try again.") },
		{ "57014", N_("The database took too long, so the operation was cancelled; try again later, and tell the system administrator if it keeps happening.") },
		{ "25006", N_("The database is read-only right now (maintenance or a switch-over), so nothing was saved; try again later.") },
		{ "23", N_("This conflicts with data saved already (perhaps a colleague changed it); reload and try again.") },
		{ "22", N_("A value entered has the wrong form or is out of range; check it and try again.") },
		{ "53", N_("The database server is short of resources (connections, memory or disk), so nothing was done; try again later and tell the system administrator.") },
		{ "08", N_("The connection to the database had a problem, so it is not known whether this was done; reload to check before you try again.") },
		{ "57", N_("The connection to the database had a problem, so it is not known whether this was done; reload to check before you try again.") },
		{ "42", N_("This program does not match the version of the database, so this cannot be done; tell the system administrator.") },
	};
	size_t len = st ? strlen(st) : 0;

	for (size_t i = 0; len == 5 && i < COUNT(table); i++)
		if (strlen(table[i].state) == 5 && strcmp(table[i].state, st) == 0)
			return table[i].text;
	for (size_t i = 0; len == 5 && i < COUNT(table); i++)
		if (strlen(table[i].state) == 2 && strncmp(table[i].state, st, 2) == 0)
			return table[i].text;
	return N_("The database refused this (the details are in the log); try again, and tell the system administrator if it happens again.");
}

const char *refusal_sentence(db_status status, const char *sqlstate, const char *reason, char *buf,
                             size_t len)
{
	out o;

	out_init(&o, buf, len);
	switch (status) {
	case DB_OK:
		return buf;
	case DB_LOST:
		return out_str(&o, _("The connection was lost before the database answered, so it is not known whether "
		                     "this was done; the screen reloads once reconnected: check it before you do it again."));
	case DB_OFFLINE:
		return out_str(&o, _("Not connected to the database, so nothing was done; try again once the connection "
		                     "is back."));
	case DB_FAILED:
		break;
	}
	if (reason && *reason) {
		parsed p;
		const entry *e;

		parse_reason(reason, &p);
		e = find(refusals, COUNT(refusals), p.code);
		if (e && p.nargs >= args_needed(e->text)) {
			expand(&o, _(e->text), &p);
			return buf;
		}
	}
	return out_str(&o, _(by_sqlstate(sqlstate)));
}

const char *refusal_text(const db_reply *r, char *buf, size_t len)
{
	if (!r) {
		if (len)
			buf[0] = '\0';
		return buf;
	}
	return refusal_sentence(r->status, r->sqlstate, r->reason, buf, len);
}

/* -------------------------------------------------------- connections */

/* libpq's and the server's words for each failure, in English and in their
 * zh_CN catalogues (libpq translates its part with the environment's
 * language; the server uses its lc_messages).  First match wins, so the
 * specific come before the general.  `also` must be present too, `unless`
 * must not. */
static const struct {
	refusal_conn kind;
	const char *phrase, *also, *unless;
} conn_phrases[] = {
	{ REFUSAL_CONN_PASSWORD_NEEDED, "no password supplied", NULL, NULL },
	{ REFUSAL_CONN_SSL, "SSL was required", NULL, NULL },
	{ REFUSAL_CONN_SSL, "要求使用 SSL", NULL, NULL },
	/* A TCP connection refused for want of encryption (hostssl lines); a
	 * Unix socket is never encrypted, so there it is the host rule. */
	{ REFUSAL_CONN_SSL, "pg_hba.conf", "no encryption", "[local]" },
	{ REFUSAL_CONN_SSL, "pg_hba.conf", "SSL off", "[local]" },
	{ REFUSAL_CONN_SSL, "pg_hba.conf", "SSL 关闭", "[local]" },
	{ REFUSAL_CONN_HOST_REFUSED, "pg_hba.conf", NULL, NULL },
	{ REFUSAL_CONN_NOT_ALLOWED, "is not permitted to log in", NULL, NULL },
	{ REFUSAL_CONN_NOT_ALLOWED, "不允许角色", NULL, NULL },
	/* Wrong password, unknown role, failed peer/ident/...: one answer. */
	{ REFUSAL_CONN_BAD_LOGIN, "authentication failed", NULL, NULL },
	{ REFUSAL_CONN_BAD_LOGIN, "认证", "失败", NULL },
	{ REFUSAL_CONN_BAD_LOGIN, "role \"", "does not exist", NULL },
	{ REFUSAL_CONN_BAD_LOGIN, "角色 \"", "不存在", NULL },
	{ REFUSAL_CONN_NO_DATABASE, "database \"", "does not exist", NULL },
	{ REFUSAL_CONN_NO_DATABASE, "数据库 \"", "不存在", NULL },
	{ REFUSAL_CONN_TOO_MANY, "too many clients", NULL, NULL },
	{ REFUSAL_CONN_TOO_MANY, "too many connections", NULL, NULL },
	{ REFUSAL_CONN_TOO_MANY, "connection slots are reserved", NULL, NULL },
	{ REFUSAL_CONN_TOO_MANY, "太多的客户", NULL, NULL },
	{ REFUSAL_CONN_TOO_MANY, "连接太多", NULL, NULL },
	{ REFUSAL_CONN_STARTING, "the database system is", NULL, NULL }, /* starting up, shutting down, in recovery */
	{ REFUSAL_CONN_STARTING, "数据库系统", NULL, NULL },
	{ REFUSAL_CONN_LOST, "server closed the connection unexpectedly", NULL, NULL },
	{ REFUSAL_CONN_LOST, "terminating connection", NULL, NULL },
	{ REFUSAL_CONN_LOST, "could not receive data from server", NULL, NULL },
	{ REFUSAL_CONN_LOST, "connection to server was lost", NULL, NULL },
	{ REFUSAL_CONN_LOST, "SSL connection has been closed unexpectedly", NULL, NULL },
	{ REFUSAL_CONN_LOST, "SSL SYSCALL error", NULL, NULL },
	{ REFUSAL_CONN_LOST, "no connection to the server", NULL, NULL },
	{ REFUSAL_CONN_LOST, "Connection reset by peer", NULL, NULL },
	{ REFUSAL_CONN_LOST, "connection to the database lost", NULL, NULL }, /* db/session.c */
	{ REFUSAL_CONN_LOST, "中断联接", NULL, NULL },
	{ REFUSAL_CONN_LOST, "中断连接", NULL, NULL },
	{ REFUSAL_CONN_LOST, "无法从服务器接收数据", NULL, NULL },
	{ REFUSAL_CONN_LOST, "SSL连接异常关闭", NULL, NULL },
	{ REFUSAL_CONN_LOST, "没有到服务器的联接", NULL, NULL },
	{ REFUSAL_CONN_LOST, "连接被对方重设", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "Connection refused", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "No such file or directory", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "could not translate host name", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "Name or service not known", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "Temporary failure in name resolution", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "Network is unreachable", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "No route to host", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "timed out", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "timeout expired", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "could not connect to server", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "Is the server running", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "did not answer in time", NULL, NULL }, /* db/session.c */
	{ REFUSAL_CONN_UNREACHABLE, "拒绝连接", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "没有那个文件或目录", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "无法解释主机名", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "未知的名称或服务", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "域名解析暂时失败", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "网络不可达", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "没有到主机的路由", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "超时", NULL, NULL },
	{ REFUSAL_CONN_UNREACHABLE, "服务器是否", NULL, NULL },
};

refusal_conn refusal_connect_kind(const char *msg, int needs_password)
{
	if (needs_password)
		return REFUSAL_CONN_PASSWORD_NEEDED;
	if (!msg)
		return REFUSAL_CONN_OTHER;
	for (size_t i = 0; i < COUNT(conn_phrases); i++)
		if (strstr(msg, conn_phrases[i].phrase) && (!conn_phrases[i].also || strstr(msg, conn_phrases[i].also))
		    && (!conn_phrases[i].unless || !strstr(msg, conn_phrases[i].unless)))
			return conn_phrases[i].kind;
	return REFUSAL_CONN_OTHER;
}

const char *refusal_connect_text(const char *libpq_message, int needs_password, const char *server,
                                 int will_retry, char *buf, size_t len)
{
	const char *text;
	out o;

	switch (refusal_connect_kind(libpq_message, needs_password)) {
	case REFUSAL_CONN_PASSWORD_NEEDED:
		text = N_("The database asks for a password: enter your password and press Enter.");
		break;
	case REFUSAL_CONN_BAD_LOGIN:
		text = N_("The user name or the password is wrong; check both and try again (your supervisor or the "
		          "system administrator can help if you forgot the password).");
		break;
	case REFUSAL_CONN_NOT_ALLOWED:
		text = N_("This account may not log in (it may have been disabled); ask your supervisor or the system "
		          "administrator.");
		break;
	case REFUSAL_CONN_HOST_REFUSED:
		text = N_("The database server %1$s does not accept this account from this computer; ask the system "
		          "administrator.");
		break;
	case REFUSAL_CONN_SSL:
		text = N_("The database server %1$s and this computer do not agree on an encrypted (SSL) connection; ask "
		          "the system administrator to check the sslmode setting.");
		break;
	case REFUSAL_CONN_NO_DATABASE:
		text = N_("The database %1$s does not exist on its server; ask the system administrator to check the "
		          "connection settings.");
		break;
	case REFUSAL_CONN_TOO_MANY:
		text = will_retry ? N_("The database server %1$s has no connection free right now; trying again by "
		                       "itself, the screen keeps what it showed.")
		                  : N_("The database server %1$s has no connection free right now; press Enter to try "
		                       "again in a moment, and tell the system administrator if it lasts.");
		break;
	case REFUSAL_CONN_STARTING:
		text = will_retry ? N_("The database server %1$s is starting up or shutting down; trying again by "
		                       "itself, the screen keeps what it showed.")
		                  : N_("The database server %1$s is starting up or shutting down; wait a moment and "
		                       "press Enter to try again.");
		break;
	case REFUSAL_CONN_LOST:
		text = will_retry ? N_("The connection to the database server %1$s was lost; reconnecting by itself, "
		                       "the screen keeps what it showed.")
		                  : N_("The connection to the database server %1$s was lost; press Enter to try again.");
		break;
	case REFUSAL_CONN_UNREACHABLE:
		text = will_retry ? N_("Cannot reach the database server %1$s (it is not running, or the network is "
		                       "down); trying again by itself, the screen keeps what it showed.")
		                  : N_("Cannot reach the database server %1$s (it is not running, or the network is "
		                       "down); press Enter to try again, or call the system administrator.");
		break;
	case REFUSAL_CONN_OTHER:
	default:
		text = will_retry ? N_("Cannot connect to the database server %1$s (the reason is in the log); trying "
		                       "again by itself, the screen keeps what it showed.")
		                  : N_("Cannot connect to the database server %1$s (the reason is in the log); press "
		                       "Enter to try again, or call the system administrator.");
		break;
	}
	/* The server's description is put in as it is: expand() would look
	 * it up among the words (a database called "case"). */
	out_init(&o, buf, len);
	for (const char *s = _(text), *pct; *s; s = pct + 4) {
		pct = strstr(s, "%1$s");
		if (!pct) {
			out_str(&o, s);
			break;
		}
		out_put(&o, s, (size_t)(pct - s));
		out_str(&o, server ? server : "");
	}
	return buf;
}
