/* test_refusal.c - unit tests for src/db/refusal.c.
 *
 * Every refusal reaches the clerk as one Chinese sentence chosen by the
 * reason the schema raised, else by the SQLSTATE, never by the English
 * message; a malformed hint can neither crash nor overflow; a failed
 * connection never tells a wrong password from an unknown user.  Reads the
 * zh_CN catalogue of the build tree ($HALLTERM_LOCALEDIR, else the
 * locale/ directory beside this program's tests/ directory).
 */
#include <libgen.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/i18n.h"
#include "db/refusal.h"

/* 1 when s is whole UTF-8 (no sequence cut short by a truncation). */
static int utf8_whole(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;
		if (n < 0)
			return 0;
		p++;
		for (int i = 0; i < n; i++, p++)
			if ((*p & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

static const char *say(const char *sqlstate, const char *reason)
{
	static char buf[1024];
	return refusal_sentence(DB_FAILED, sqlstate, reason, buf, sizeof buf);
}

static void test_catalogue_loaded(void **state)
{
	(void)state;
	/* Everything below compares Chinese: without the catalogue it can't. */
	assert_string_equal(_("case"), "办件");
}

static const struct {
	const char *sqlstate, *reason, *want;
} by_reason[] = {
	{ "55000", "stale_state", "此办件已被他人处理，状态已变化；屏幕已重新读取，请查看最新状态后再操作。" },
	{ "P0002", "not_found:case", "找不到该办件，或您无权处理它；请刷新列表后再试。" },
	{ "P0002", "not_found:rating", "找不到该评价，或您无权处理它；请刷新列表后再试。" },
	{ "22023", "text_short:reply_body:2", "答复内容太短：至少需要 2 个字；请补充后再提交。" },
	{ "22023", "text_long:transfer_note:500", "转办说明太长：最多 500 个字；请删减后再提交。" },
	{ "22023", "text_empty:rejection_reason", "不予许可的法定理由不能为空；请填写后再提交。" },
	{ "22023", "extension_days:1:10", "延期须为 1 至 10 个工作日；请修改天数后重新申请。" },
	{ "42501", "supervisor_only", "只有科长可以作此决定；请提请本科室科长处理。" },
	{ "42501", "claimed_by_other", "此办件由其他同事受理，只有受理人可以办理；请返回待办列表另选办件。" },
	{ "55000", "step_done:verify", "「核实」步骤已经登记过（可能是同事刚刚登记）；请刷新后查看。" },
	{ "55000", "verify_first:callback", "请先登记「核实」步骤，之后才能登记「回访」。" },
	{ "55000", "requeue_not_failed:sent", "只有发送失败的通知才能重新发送，此通知当前为「已发送」；请刷新列表。" },
	{ "55000", "no_appeal_pending", "此评价没有待裁决的申诉（可能已经裁决）；请刷新后查看。" },
	{ "55000", "clock_production", "只有培训或测试数据库才能调整时钟；未做任何更改。" },
	/* The reason wins over the SQLSTATE's general words. */
	{ "42501", "not_staff", "您的账号不是本大厅在岗的工作人员（未登记或已停用）；请联系科长或系统管理员。" },
};

static void test_by_reason(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof by_reason / sizeof by_reason[0]; i++) {
		const char *got = say(by_reason[i].sqlstate, by_reason[i].reason);
		if (strcmp(got, by_reason[i].want) != 0)
			fail_msg("%s %s:\n  got  %s\n  want %s", by_reason[i].sqlstate, by_reason[i].reason, got,
			         by_reason[i].want);
	}
}

static const struct {
	const char *sqlstate, *want;
} by_state[] = {
	{ "42501", "您的账号无权进行此操作；如确需办理，请联系科长。" },
	{ "55000", "此记录的状态已发生变化（可能已被同事处理）；请刷新后查看最新状态再操作。" },
	{ "55P03", "此记录正由他人处理，暂时无法操作；请稍候重试。" },
	{ "22023", "输入的内容不符合要求；请检查后重试。" },
	{ "22P02", "输入的数据格式不正确或超出范围；请检查后重试。" },
	{ "P0002", "找不到该记录，或您无权处理它；请刷新列表后再试。" },
	{ "23505", "该记录已存在（可能是同事刚刚保存）；请刷新后查看。" },
	{ "23503", "此操作与已保存的数据冲突（可能已被同事修改）；请刷新后重试。" },
	{ "40001", "数据库同时处理的操作发生冲突，此操作未执行；请重试。" },
	{ "40P01", "数据库同时处理的操作发生冲突，此操作未执行；请重试。" },
	{ "57014", "数据库处理超时，操作已取消；请稍后重试，如经常出现请告知系统管理员。" },
	{ "53300", "数据库服务器资源不足（连接、内存或磁盘），此操作未执行；请稍后重试并告知系统管理员。" },
	{ "08006", "与数据库的连接出现问题，不确定此操作是否完成；请刷新核对后再决定是否重试。" },
	{ "42883", "本程序与数据库版本不一致，无法执行此操作；请告知系统管理员。" },
	{ "25006", "数据库当前只读（可能在维护或切换），未保存任何内容；请稍后重试。" },
	{ "XX000", "数据库拒绝了此操作（详情已记入日志）；请重试，如再次出现请告知系统管理员。" },
	{ "P0001", "数据库拒绝了此操作（详情已记入日志）；请重试，如再次出现请告知系统管理员。" },
	{ "", "数据库拒绝了此操作（详情已记入日志）；请重试，如再次出现请告知系统管理员。" },
	{ "4", "数据库拒绝了此操作（详情已记入日志）；请重试，如再次出现请告知系统管理员。" },
	{ "425010", "数据库拒绝了此操作（详情已记入日志）；请重试，如再次出现请告知系统管理员。" },
};

static void test_by_sqlstate(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof by_state / sizeof by_state[0]; i++) {
		assert_string_equal(say(by_state[i].sqlstate, ""), by_state[i].want);
		assert_string_equal(say(by_state[i].sqlstate, NULL), by_state[i].want);
	}
	{
		char buf[256];
		assert_string_equal(refusal_sentence(DB_FAILED, NULL, NULL, buf, sizeof buf),
		                    "数据库拒绝了此操作（详情已记入日志）；请重试，如再次出现请告知系统管理员。");
	}
}

/* Hints that are not what the schema raises: the SQLSTATE decides, or the
 * argument is shown as text - never a crash, never a format. */
static void test_malformed(void **state)
{
	(void)state;
	/* Missing arguments. */
	assert_string_equal(say("22023", "extension_days"), "输入的内容不符合要求；请检查后重试。");
	assert_string_equal(say("22023", "extension_days:1"), "输入的内容不符合要求；请检查后重试。");
	assert_string_equal(say("P0002", "not_found"), "找不到该记录，或您无权处理它；请刷新列表后再试。");
	assert_string_equal(say("22023", "text_short:reply_body"), "输入的内容不符合要求；请检查后重试。");
	/* Extra arguments are not shown. */
	assert_string_equal(say("22023", "extension_days:1:10:99:x"), "延期须为 1 至 10 个工作日；请修改天数后重新申请。");
	assert_string_equal(say("42501", "supervisor_only:x:y"), "只有科长可以作此决定；请提请本科室科长处理。");
	/* Empty arguments are arguments. */
	assert_string_equal(say("22023", "extension_days::"), "延期须为  至  个工作日；请修改天数后重新申请。");
	/* Format directives in an argument are text. */
	assert_string_equal(say("22023", "text_short:%n%n%s%1$s:%n"), "%n%n%s%1$s太短：至少需要 %n 个字；请补充后再提交。");
	assert_string_equal(say("P0002", "not_found:%s%s%s%s%s%s%s%s%s%s"),
	                    "找不到该%s%s%s%s%s%s%s%s%s%s，或您无权处理它；请刷新列表后再试。");
	/* An unknown field or kind is shown as it came. */
	assert_string_equal(say("22023", "text_empty:new_field"), "new_field不能为空；请填写后再提交。");
	/* Unknown codes, empty codes, odd separators. */
	assert_string_equal(say("55000", "no_such_code:1"), "此记录的状态已发生变化（可能已被同事处理）；请刷新后查看最新状态再操作。");
	assert_string_equal(say("55000", ":stale_state"), "此记录的状态已发生变化（可能已被同事处理）；请刷新后查看最新状态再操作。");
	assert_string_equal(say("55000", ":"), "此记录的状态已发生变化（可能已被同事处理）；请刷新后查看最新状态再操作。");
	assert_string_equal(say("55000", "stale_state_x"), "此记录的状态已发生变化（可能已被同事处理）；请刷新后查看最新状态再操作。");
	assert_string_equal(say("55000", "stale"), "此记录的状态已发生变化（可能已被同事处理）；请刷新后查看最新状态再操作。");
	assert_string_equal(say("55000", "reason:stale_state"), "此记录的状态已发生变化（可能已被同事处理）；请刷新后查看最新状态再操作。");
	/* A long argument is cut (at a character), not copied whole. */
	{
		char reason[2100], want_prefix[200];
		const char *got;
		strcpy(reason, "text_empty:");
		for (int i = 0; i < 682; i++)
			strcat(reason, "长");
		got = say("22023", reason);
		assert_true(utf8_whole(got));
		want_prefix[0] = '\0';
		for (int i = 0; i < 21; i++) /* 64 bytes hold 21 three-byte characters */
			strcat(want_prefix, "长");
		strcat(want_prefix, "不能为空");
		assert_string_equal(got, strcat(want_prefix, "；请填写后再提交。"));
	}
	/* Many separators: at most nine arguments are read. */
	assert_string_equal(say("22023", "extension_days:1:2:3:4:5:6:7:8:9:10:11:12:13:14:15:16:17:18:19:20"),
	                    "延期须为 1 至 2 个工作日；请修改天数后重新申请。");
}

static void test_statuses(void **state)
{
	char buf[512];

	(void)state;
	assert_string_equal(refusal_sentence(DB_LOST, "", "", buf, sizeof buf),
	                    "连接在数据库应答前中断，不知道此操作是否已完成；连接恢复后屏幕会重新读取，请核对后再决定是否重做。");
	assert_string_equal(refusal_sentence(DB_OFFLINE, "", "", buf, sizeof buf),
	                    "未连接数据库，此操作没有执行；请在连接恢复后重试。");
	assert_string_equal(refusal_sentence(DB_OK, "", "", buf, sizeof buf), "");
	{
		db_reply r = { .status = DB_FAILED, .error = "case 261123-0063 is in review, not submitted",
		               .sqlstate = "55000", .reason = "stale_state" };
		const char *got = refusal_text(&r, buf, sizeof buf);
		assert_string_equal(got, "此办件已被他人处理，状态已变化；屏幕已重新读取，请查看最新状态后再操作。");
		assert_null(strstr(got, "review"));
		r.reason = "";
		r.error = "an extension is 1 to 10 working days, not 30";
		r.sqlstate = "22023";
		assert_string_equal(refusal_text(&r, buf, sizeof buf), "输入的内容不符合要求；请检查后重试。");
		r.reason = NULL;
		assert_string_equal(refusal_text(&r, buf, sizeof buf), "输入的内容不符合要求；请检查后重试。");
	}
	assert_string_equal(refusal_text(NULL, buf, sizeof buf), "");
}

static void test_small_buffers(void **state)
{
	char buf[64];

	(void)state;
	for (size_t len = 0; len <= sizeof buf; len++) {
		memset(buf, 'x', sizeof buf);
		refusal_sentence(DB_FAILED, "22023", "text_short:reply_body:2", buf, len);
		if (len) {
			assert_true(strlen(buf) < len);
			assert_true(utf8_whole(buf));
		} else {
			assert_int_equal(buf[0], 'x'); /* nothing written */
		}
		memset(buf, 'x', sizeof buf);
		refusal_connect_text("FATAL:  password authentication failed for user \"clerk01\"", 0, "hall @ /tmp:5432", 0,
		                     buf, len);
		if (len) {
			assert_true(strlen(buf) < len);
			assert_true(utf8_whole(buf));
		}
		memset(buf, 'x', sizeof buf);
		refusal_connect_text("Connection refused", 0, "hall @ 数据库服务器:5432", 1, buf, len);
		if (len) {
			assert_true(strlen(buf) < len);
			assert_true(utf8_whole(buf));
		}
	}
}

static void test_known(void **state)
{
	(void)state;
	assert_true(refusal_known("stale_state"));
	assert_true(refusal_known("text_short:reply_body:2"));
	assert_true(refusal_known("not_found"));
	assert_false(refusal_known(""));
	assert_false(refusal_known(NULL));
	assert_false(refusal_known(":x"));
	assert_false(refusal_known("reply_body")); /* a word, not a code */
	assert_false(refusal_known("stale"));
}

/* Random hints and SQLSTATEs: whatever comes, one whole sentence that fits. */
static void test_random(void **state)
{
	static const char alphabet[] = "::::%%%%$$nsd0123456789_abcxyz\xe4\xb8\xad\xe6\x96\x87\xff\x80";
	static const char *codes[] = { "text_short", "text_long", "text_empty", "not_found", "extension_days",
	                               "step_done", "requeue_not_failed", "stale_state", "x", "" };
	static const char *states[] = { "", "22023", "55000", "P0002", "42501", "4", "08", "57014", "ZZZZZ" };
	char reason[128], buf[160];
	unsigned seed = 12345;

	(void)state;
	for (int round = 0; round < 20000; round++) {
		size_t n;
		seed = seed * 1103515245u + 12345u;
		snprintf(reason, sizeof reason, "%s", codes[(seed >> 16) % (sizeof codes / sizeof codes[0])]);
		n = strlen(reason);
		for (int k = (int)((seed >> 8) % 60); k > 0 && n + 1 < sizeof reason; k--) {
			seed = seed * 1103515245u + 12345u;
			reason[n++] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		reason[n] = '\0';
		seed = seed * 1103515245u + 12345u;
		refusal_sentence(DB_FAILED, states[(seed >> 16) % (sizeof states / sizeof states[0])], reason, buf,
		                 1 + (seed >> 4) % sizeof buf);
		assert_true(strlen(buf) < sizeof buf);
		/* The sentence's own characters are never cut in half; arguments
		 * are the schema's, copied as bytes. */
		if (!strpbrk(reason, "\xe4\xb8\xad\xe6\x96\x87\xff\x80"))
			assert_true(utf8_whole(buf));
		refusal_connect_text(reason, (int)(seed & 1), reason, (int)(seed & 2), buf, 1 + (seed >> 5) % sizeof buf);
		assert_true(strlen(buf) < sizeof buf);
	}
}

/* --- connections ------------------------------------------------------- */

static const struct {
	const char *msg;
	int needs_password;
	refusal_conn kind;
} conn_cases[] = {
	{ "connection to server on socket \"/tmp/x/.s.PGSQL.55499\" failed: FATAL:  password authentication failed "
	  "for user \"clerk01\"", 0, REFUSAL_CONN_BAD_LOGIN },
	{ "连接到套接字\"/tmp/x/.s.PGSQL.55499\"上的服务器失败:FATAL:  password authentication failed for user \"nobody\"",
	  0, REFUSAL_CONN_BAD_LOGIN },
	{ "FATAL:  role \"nobody\" does not exist", 0, REFUSAL_CONN_BAD_LOGIN },
	{ "致命错误:  用户 \"clerk01\" Password 认证失败", 0, REFUSAL_CONN_BAD_LOGIN },
	{ "FATAL:  Peer authentication failed for user \"clerk01\"", 0, REFUSAL_CONN_BAD_LOGIN },
	{ "fe_sendauth: no password supplied", 0, REFUSAL_CONN_PASSWORD_NEEDED },
	{ "anything at all", 1, REFUSAL_CONN_PASSWORD_NEEDED },
	{ "FATAL:  role \"clerk07\" is not permitted to log in", 0, REFUSAL_CONN_NOT_ALLOWED },
	{ "FATAL:  no pg_hba.conf entry for host \"[local]\", user \"clerk01\", database \"hall\", no encryption", 0,
	  REFUSAL_CONN_HOST_REFUSED },
	{ "FATAL:  no pg_hba.conf entry for host \"10.0.0.5\", user \"clerk01\", database \"hall\", no encryption", 0,
	  REFUSAL_CONN_SSL },
	{ "server does not support SSL, but SSL was required", 0, REFUSAL_CONN_SSL },
	{ "FATAL:  database \"hall\" does not exist", 0, REFUSAL_CONN_NO_DATABASE },
	{ "FATAL:  sorry, too many clients already", 0, REFUSAL_CONN_TOO_MANY },
	{ "FATAL:  remaining connection slots are reserved for non-replication superuser connections", 0,
	  REFUSAL_CONN_TOO_MANY },
	{ "FATAL:  the database system is starting up", 0, REFUSAL_CONN_STARTING },
	{ "FATAL:  the database system is shutting down", 0, REFUSAL_CONN_STARTING },
	{ "server closed the connection unexpectedly", 0, REFUSAL_CONN_LOST },
	{ "FATAL:  terminating connection due to administrator command", 0, REFUSAL_CONN_LOST },
	{ "connection to the database lost", 0, REFUSAL_CONN_LOST },
	{ "connection to server on socket \"/tmp/x/.s.PGSQL.55499\" failed: No such file or directory", 0,
	  REFUSAL_CONN_UNREACHABLE },
	{ "连接到套接字\"/tmp/x/.s.PGSQL.55499\"上的服务器失败:没有那个文件或目录", 0, REFUSAL_CONN_UNREACHABLE },
	{ "connection to server at \"10.0.0.9\", port 5432 failed: Connection refused", 0, REFUSAL_CONN_UNREACHABLE },
	{ "could not translate host name \"db.example\" to address: Name or service not known", 0,
	  REFUSAL_CONN_UNREACHABLE },
	{ "timeout expired", 0, REFUSAL_CONN_UNREACHABLE },
	{ "the database did not answer in time", 0, REFUSAL_CONN_UNREACHABLE },
	{ "something nobody foresaw", 0, REFUSAL_CONN_OTHER },
	{ "", 0, REFUSAL_CONN_OTHER },
	{ NULL, 0, REFUSAL_CONN_OTHER },
};

static void test_connect_kind(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof conn_cases / sizeof conn_cases[0]; i++)
		if (refusal_connect_kind(conn_cases[i].msg, conn_cases[i].needs_password) != conn_cases[i].kind)
			fail_msg("%s: got %d, want %d", conn_cases[i].msg ? conn_cases[i].msg : "(null)",
			         (int)refusal_connect_kind(conn_cases[i].msg, conn_cases[i].needs_password),
			         (int)conn_cases[i].kind);
}

static void test_connect_text(void **state)
{
	char a[512], b[512];
	const char *server = "hall @ /tmp/x:55499";

	(void)state;
	/* Wrong password and unknown user: the same words, naming neither. */
	refusal_connect_text("FATAL:  password authentication failed for user \"clerk01\"", 0, server, 0, a, sizeof a);
	refusal_connect_text("FATAL:  role \"nobody\" does not exist", 0, server, 0, b, sizeof b);
	assert_string_equal(a, b);
	assert_string_equal(a, "用户名或密码不正确；请核对后重新输入（忘记密码请联系科长或系统管理员）。");
	assert_null(strstr(a, "clerk01"));
	/* Unreachable: which server; Enter at the login screen, by itself when
	 * a session reconnects. */
	refusal_connect_text("No such file or directory", 0, server, 0, a, sizeof a);
	assert_string_equal(a, "无法连接数据库服务器 hall @ /tmp/x:55499（服务器未运行或网络不通）；请稍后按 Enter 重试，或联系系统管理员。");
	refusal_connect_text("Connection refused", 0, server, 1, a, sizeof a);
	assert_string_equal(a, "无法连接数据库服务器 hall @ /tmp/x:55499（服务器未运行或网络不通）；正在自动重试，屏幕保留原有内容。");
	refusal_connect_text("server closed the connection unexpectedly", 0, server, 1, a, sizeof a);
	assert_string_equal(a, "与数据库服务器 hall @ /tmp/x:55499 的连接已断开；正在自动重新连接，屏幕保留原有内容。");
	refusal_connect_text("FATAL:  database \"hall\" does not exist", 0, server, 0, a, sizeof a);
	assert_string_equal(a, "服务器上没有数据库 hall @ /tmp/x:55499；请联系系统管理员检查连接设置。");
	refusal_connect_text("FATAL:  sorry, too many clients already", 0, server, 0, a, sizeof a);
	assert_string_equal(a, "数据库服务器 hall @ /tmp/x:55499 当前连接已满；请稍后按 Enter 重试，如持续出现请告知系统管理员。");
	refusal_connect_text("server does not support SSL, but SSL was required", 0, server, 0, a, sizeof a);
	assert_string_equal(a, "数据库服务器 hall @ /tmp/x:55499 与本机的加密连接（SSL）设置不一致；请联系系统管理员检查 sslmode 设置。");
	refusal_connect_text("", 1, server, 0, a, sizeof a);
	assert_string_equal(a, "数据库需要密码：请输入密码后按 Enter。");
	/* The server's name is not a word to translate, nor a format. */
	refusal_connect_text("Connection refused", 0, "case %n%s", 0, a, sizeof a);
	assert_string_equal(a, "无法连接数据库服务器 case %n%s（服务器未运行或网络不通）；请稍后按 Enter 重试，或联系系统管理员。");
	refusal_connect_text("Connection refused", 0, NULL, 0, a, sizeof a);
	assert_string_equal(a, "无法连接数据库服务器 （服务器未运行或网络不通）；请稍后按 Enter 重试，或联系系统管理员。");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue_loaded),
		cmocka_unit_test(test_by_reason),
		cmocka_unit_test(test_by_sqlstate),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_statuses),
		cmocka_unit_test(test_small_buffers),
		cmocka_unit_test(test_known),
		cmocka_unit_test(test_random),
		cmocka_unit_test(test_connect_kind),
		cmocka_unit_test(test_connect_text),
	};
	const char *dir = getenv("HALLTERM_LOCALEDIR");
	char *self = strdup(argc > 0 ? argv[0] : ".");
	char path[4096];

	if (!dir || !*dir) {
		/* <build>/tests/test_refusal -> <build>/locale */
		snprintf(path, sizeof path, "%s/../locale", dirname(self));
		dir = path;
	}
	setlocale(LC_ALL, "C.UTF-8");
	setenv("LANGUAGE", "zh_CN", 1);
	bindtextdomain("hallterm", dir);
	bind_textdomain_codeset("hallterm", "UTF-8");
	textdomain("hallterm");
	free(self);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
