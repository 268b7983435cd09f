/* test_editor.c - the reply editor's model, without a terminal.
 *
 * What a clerk would notice: Chinese text typed or pasted stays whole, the
 * cursor never lands inside a character, up/down keep the column on screen
 * even across wide characters, and a resize never loses what was typed.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/text.h"
#include "ui/editor.h"
#include "ui/keys.h"

/* 1 if pos is on a UTF-8 character boundary of s. */
static int on_boundary(const char *s, size_t pos)
{
	return ((unsigned char)s[pos] & 0xC0) != 0x80;
}

static void check_lines_fit(editor *e, int width)
{
	size_t i, n = editor_lines(e);
	const char *t = editor_text(e);

	for (i = 0; i < n; i++) {
		size_t start, end;
		char *seg;

		assert_int_equal(editor_line(e, i, &start, &end), 0);
		assert_true(on_boundary(t, start));
		assert_true(on_boundary(t, end));
		seg = strndup(t + start, end - start);
		assert_true(text_width(seg) <= width);
		free(seg);
	}
}

static void test_insert_latin_and_cjk(void **state)
{
	editor *e = editor_new(0);

	(void)state;
	assert_int_equal(editor_insert(e, "abc"), 3);
	assert_int_equal(editor_insert(e, "中文"), 2);
	assert_int_equal(editor_insert_cp(e, 0x5B57), 1); /* 字 */
	assert_string_equal(editor_text(e), "abc中文字");
	assert_int_equal(editor_chars(e), 6);
	assert_int_equal(editor_bytes(e), 3 + 9);
	assert_int_equal(editor_cursor(e), editor_bytes(e));
	assert_true(editor_modified(e));
	editor_free(e);
}

static void test_cursor_moves_by_character(void **state)
{
	editor *e = editor_new(0);
	size_t line;
	int col;

	(void)state;
	editor_set_text(e, "a中b");
	assert_false(editor_modified(e));
	assert_int_equal(editor_cursor(e), 5);
	assert_true(editor_left(e)); /* before b */
	assert_int_equal(editor_cursor(e), 4);
	assert_true(editor_left(e)); /* before 中: three bytes back */
	assert_int_equal(editor_cursor(e), 1);
	editor_cursor_pos(e, &line, &col);
	assert_int_equal(col, 1);
	assert_true(editor_right(e));
	assert_int_equal(editor_cursor(e), 4);
	editor_cursor_pos(e, &line, &col);
	assert_int_equal(col, 3); /* the wide character took two cells */
	assert_true(editor_left(e));
	assert_true(editor_left(e));
	assert_false(editor_left(e)); /* at the start */
	assert_int_equal(editor_cursor(e), 0);

	/* An offset from outside, inside a sequence, snaps to a boundary. */
	editor_set_cursor(e, 2);
	assert_true(on_boundary(editor_text(e), editor_cursor(e)));
	assert_int_equal(editor_cursor(e), 1);
	editor_set_cursor(e, 999);
	assert_int_equal(editor_cursor(e), 5);
	assert_false(editor_right(e));

	/* Typing in the middle. */
	editor_set_cursor(e, 1);
	editor_insert(e, "文");
	assert_string_equal(editor_text(e), "a文中b");
	assert_int_equal(editor_cursor(e), 4);
	editor_free(e);
}

static void test_up_down_by_cell_mixed_widths(void **state)
{
	editor *e = editor_new(0);
	size_t line;
	int col;

	(void)state;
	editor_set_width(e, 10);
	editor_set_text(e, "abcdefghij\n中文中文中\nab");
	assert_int_equal(editor_lines(e), 3);
	editor_set_cursor(e, 3); /* after "abc": cell 3 */
	editor_cursor_pos(e, &line, &col);
	assert_int_equal(line, 0);
	assert_int_equal(col, 3);

	/* Cell 3 is the right half of 文: the cursor stops before it. */
	assert_true(editor_down(e));
	editor_cursor_pos(e, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 2);
	assert_true(on_boundary(editor_text(e), editor_cursor(e)));

	/* A short line: the end of it, and the goal column is kept. */
	assert_true(editor_down(e));
	editor_cursor_pos(e, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 2);

	assert_true(editor_up(e));
	editor_cursor_pos(e, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 2);
	assert_true(editor_up(e));
	editor_cursor_pos(e, &line, &col);
	assert_int_equal(line, 0);
	assert_int_equal(col, 3); /* back on the original column */

	/* A column past the end of a line ending in '\n' stops before it. */
	editor_set_cursor(e, 10); /* end of "abcdefghij" */
	editor_cursor_pos(e, &line, &col);
	assert_int_equal(line, 0);
	assert_int_equal(col, 10);
	assert_true(editor_down(e));
	editor_cursor_pos(e, &line, &col);
	assert_int_equal(line, 1);
	assert_int_equal(col, 10);
	assert_int_equal(editor_text(e)[editor_cursor(e)], '\n');

	/* Up on the first line goes to its start, down on the last to the end. */
	editor_set_cursor(e, 2);
	assert_true(editor_up(e));
	assert_int_equal(editor_cursor(e), 0);
	editor_set_cursor(e, editor_bytes(e) - 1);
	assert_true(editor_down(e));
	assert_int_equal(editor_cursor(e), editor_bytes(e));
	editor_free(e);
}

/* 100 characters of a reply, with CJK punctuation in it. */
static const char paragraph[] =
	"您好！您咨询的营业执照变更登记，需要提交以下材料：一、变更登记申请书；"
	"二、股东会决议；三、章程修正案。材料齐全的，窗口当场受理，"
	"三个工作日内办结。如有疑问，请拨打咨询电话，或到政务服务大厅综合窗口办理。";

static void test_wrap_chinese_paragraph_at_40(void **state)
{
	editor *e = editor_new(0);
	const char *t;
	size_t i, n;
	char *joined;

	(void)state;
	editor_set_width(e, 40);
	editor_set_text(e, paragraph);
	t = editor_text(e);
	n = editor_lines(e);
	assert_true(n >= 5);
	check_lines_fit(e, 40);
	joined = calloc(1, strlen(t) + 1);
	for (i = 0; i < n; i++) {
		size_t start, end;

		editor_line(e, i, &start, &end);
		/* Never a line starting with closing punctuation. */
		if (i > 0) {
			assert_memory_not_equal(t + start, "，", 3);
			assert_memory_not_equal(t + start, "。", 3);
			assert_memory_not_equal(t + start, "；", 3);
			assert_memory_not_equal(t + start, "！", 3);
		}
		strncat(joined, t + start, end - start);
	}
	/* Nothing lost, nothing doubled: the lines put together are the text. */
	assert_string_equal(joined, paragraph);
	free(joined);

	/* Plain CJK: 45 characters at 40 cells are lines of 20, 20 and 5. */
	{
		char buf[45 * 3 + 1] = "";
		size_t start, end;

		for (i = 0; i < 45; i++)
			strcat(buf, "办");
		editor_set_text(e, buf);
		assert_int_equal(editor_lines(e), 3);
		editor_line(e, 0, &start, &end);
		assert_int_equal(end - start, 20 * 3);
		editor_line(e, 1, &start, &end);
		assert_int_equal(start, 20 * 3);
		assert_int_equal(end - start, 20 * 3);
		editor_line(e, 2, &start, &end);
		assert_int_equal(end - start, 5 * 3);
	}
	/* An odd width never splits a wide character: 39 cells hold 19. */
	editor_set_width(e, 39);
	check_lines_fit(e, 39);
	{
		size_t start, end;

		editor_line(e, 0, &start, &end);
		assert_int_equal(end - start, 19 * 3);
	}
	editor_free(e);
}

static void test_backspace_delete_wide(void **state)
{
	editor *e = editor_new(0);

	(void)state;
	editor_set_text(e, "a中");
	assert_true(editor_backspace(e));
	assert_string_equal(editor_text(e), "a");
	assert_int_equal(editor_chars(e), 1);
	assert_int_equal(editor_cursor(e), 1);
	assert_true(editor_backspace(e));
	assert_false(editor_backspace(e));
	assert_string_equal(editor_text(e), "");

	editor_set_text(e, "中文b");
	editor_set_cursor(e, 0);
	assert_true(editor_delete(e));
	assert_string_equal(editor_text(e), "文b");
	assert_int_equal(editor_chars(e), 2);
	editor_set_cursor(e, editor_bytes(e));
	assert_false(editor_delete(e));
	editor_free(e);
}

static void test_paste_10000_characters(void **state)
{
	static const char *const pieces[] = { "中", "文", "a", "，", " ", "b", "。", "\n" };
	size_t i, len = 0;
	char *paste = malloc(10000 * 3 + 1);
	editor *e = editor_new(0);
	editor *small = editor_new(5000);

	(void)state;
	for (i = 0; i < 10000; i++) {
		const char *p = pieces[(i * 7 + i / 13) % 8];

		memcpy(paste + len, p, strlen(p));
		len += strlen(p);
	}
	paste[len] = '\0';
	editor_set_width(e, 40);
	assert_int_equal(editor_insert(e, paste), 10000);
	assert_int_equal(editor_chars(e), 10000);
	assert_int_equal(editor_bytes(e), len);
	assert_string_equal(editor_text(e), paste);
	assert_int_equal(editor_cursor(e), len);
	check_lines_fit(e, 40);

	/* A limit cuts the paste at a character, not a byte. */
	assert_int_equal(editor_insert(small, paste), 5000);
	assert_int_equal(editor_chars(small), 5000);
	assert_true(on_boundary(editor_text(small), editor_bytes(small)));
	assert_memory_equal(editor_text(small), paste, editor_bytes(small));
	assert_int_equal(editor_insert(small, "x"), 0);
	assert_int_equal(editor_insert_cp(small, 'x'), 0);
	{
		ui_event ev = { .key = 'x' };

		assert_int_equal(editor_key(small, CMD_NONE, &ev), EDITOR_FULL);
	}
	editor_free(small);
	editor_free(e);
	free(paste);
}

static void test_reflow_keeps_text_and_cursor(void **state)
{
	editor *e = editor_new(0);
	char *before;
	size_t cur, line40, line20;
	int col;

	(void)state;
	editor_set_width(e, 40);
	editor_set_text(e, paragraph);
	editor_set_cursor(e, 90); /* somewhere in the middle */
	cur = editor_cursor(e);
	before = strdup(editor_text(e));
	editor_cursor_pos(e, &line40, &col);
	editor_set_width(e, 20);
	assert_string_equal(editor_text(e), before);
	assert_int_equal(editor_cursor(e), cur);
	editor_cursor_pos(e, &line20, &col);
	assert_true(line20 > line40);
	assert_true(col <= 20);
	check_lines_fit(e, 20);
	editor_set_width(e, 80);
	assert_string_equal(editor_text(e), before);
	assert_int_equal(editor_cursor(e), cur);
	check_lines_fit(e, 80);
	/* Absurd widths are clamped, not fatal. */
	editor_set_width(e, 0);
	assert_int_equal(editor_width(e), 2);
	check_lines_fit(e, 2);
	assert_string_equal(editor_text(e), before);
	free(before);
	editor_free(e);
}

static void test_input_is_sanitised(void **state)
{
	editor *e = editor_new(0);

	(void)state;
	editor_insert(e, "a\x1b[2Jb\x1b]0;pwned\x07");
	assert_null(strchr(editor_text(e), '\x1b'));
	assert_null(strchr(editor_text(e), '\x07'));
	assert_string_equal(editor_text(e), "a␛[2Jb␛]0;pwned␇");
	editor_set_text(e, "x\r\ny\rz\tw\xff");
	assert_string_equal(editor_text(e), "x\ny\nz w\xef\xbf\xbd");
	editor_free(e);
}

static void test_home_end_kill(void **state)
{
	editor *e = editor_new(0);
	char buf[45 * 3 + 1] = "";
	size_t line;
	int col, i;

	(void)state;
	editor_set_width(e, 40);
	for (i = 0; i < 45; i++)
		strcat(buf, "办");
	editor_set_text(e, buf);
	editor_set_cursor(e, 3 * 3);
	/* End of a full wrapped line: on its last character, still line 0. */
	assert_true(editor_end(e));
	editor_cursor_pos(e, &line, &col);
	assert_int_equal(line, 0);
	assert_int_equal(col, 38);
	assert_true(editor_home(e));
	assert_int_equal(editor_cursor(e), 0);
	/* Home on the second display line goes to its start, not the text's. */
	editor_set_cursor(e, 5 * 3);
	assert_true(editor_down(e));
	assert_int_equal(editor_cursor(e), 25 * 3);
	assert_true(editor_home(e));
	assert_int_equal(editor_cursor(e), 20 * 3);

	editor_set_text(e, "第一行\n第二行");
	editor_set_cursor(e, 3);
	assert_true(editor_kill_eol(e));
	assert_string_equal(editor_text(e), "第\n第二行");
	assert_true(editor_kill_eol(e)); /* at the '\n': join */
	assert_string_equal(editor_text(e), "第第二行");
	editor_set_cursor(e, 6); /* before 二 */
	assert_true(editor_kill_bol(e));
	assert_string_equal(editor_text(e), "二行");
	assert_int_equal(editor_cursor(e), 0);
	assert_false(editor_kill_bol(e));
	assert_int_equal(editor_chars(e), 2);
	editor_free(e);
}

static void test_keys(void **state)
{
	editor *e = editor_new(0);
	ui_event ev = { 0 };

	(void)state;
	ev.key = 0x4E2D; /* 中 from get_wch, as an input method sends it */
	assert_int_equal(editor_key(e, CMD_NONE, &ev), EDITOR_CHANGED);
	ev.key = '\n';
	assert_int_equal(editor_key(e, CMD_OPEN, &ev), EDITOR_CHANGED);
	ev.key = 'q'; /* on a text screen 'q' is text, not "back" */
	assert_int_equal(editor_key(e, CMD_NONE, &ev), EDITOR_CHANGED);
	assert_string_equal(editor_text(e), "中\nq");
	ev.key = UI_KEY(KEY_BACKSPACE);
	assert_int_equal(editor_key(e, CMD_BACKSPACE, &ev), EDITOR_CHANGED);
	ev.key = UI_KEY(KEY_LEFT);
	assert_int_equal(editor_key(e, CMD_LEFT, &ev), EDITOR_MOVED);
	ev.key = 7; /* a stray control key types nothing */
	assert_int_equal(editor_key(e, CMD_NONE, &ev), EDITOR_IGNORED);
	ev.key = UI_KEY(KEY_F(9));
	assert_int_equal(editor_key(e, CMD_SEND, &ev), EDITOR_IGNORED);
	assert_string_equal(editor_text(e), "中\n");

	/* The keymap: on a text screen printable keys are text, F-keys and
	 * control keys are still commands. */
	assert_int_equal(ui_key_command('q', NULL, NULL, 1), CMD_NONE);
	assert_int_equal(ui_key_command('q', NULL, NULL, 0), CMD_BACK);
	assert_int_equal(ui_key_command(UI_ESC, NULL, NULL, 1), CMD_BACK);
	assert_int_equal(ui_key_command(UI_KEY(KEY_F(3)), NULL, NULL, 1), CMD_BACK);
	assert_int_equal(ui_key_command(UI_CTRL('a'), NULL, NULL, 1), CMD_HOME);
	{
		static const int editor_cmds[] = { CMD_SEND, CMD_CANNED, CMD_NONE };
		static const int list_cmds[] = { CMD_CLAIM_NEXT, CMD_NONE };

		assert_int_equal(ui_key_command(UI_KEY(KEY_F(9)), editor_cmds, NULL, 1), CMD_SEND);
		assert_int_equal(ui_key_command(UI_ALT_KEY('s'), editor_cmds, NULL, 1), CMD_SEND);
		assert_int_equal(ui_key_command(UI_KEY(KEY_F(2)), editor_cmds, NULL, 1), CMD_CANNED);
		/* A screen never sees a command it did not list. */
		assert_int_equal(ui_key_command(UI_KEY(KEY_F(9)), list_cmds, NULL, 0), CMD_NONE);
		assert_int_equal(ui_key_command('n', list_cmds, NULL, 0), CMD_CLAIM_NEXT);
		/* Editing keys reach an editor screen that lists editor_commands. */
		assert_int_equal(ui_key_command(UI_KEY(KEY_BACKSPACE), editor_cmds, editor_commands, 1),
		                 CMD_BACKSPACE);
		assert_int_equal(ui_key_command(127, editor_cmds, editor_commands, 1), CMD_BACKSPACE);
		assert_int_equal(ui_key_command(UI_CTRL('k'), editor_cmds, editor_commands, 1),
		                 CMD_KILL_EOL);
		/* Enter is a newline in the editor (OPEN), OK in a dialog listing OK. */
		assert_int_equal(ui_key_command('\n', editor_cmds, editor_commands, 1), CMD_OPEN);
		{
			static const int dialog_cmds[] = { CMD_OK, CMD_BACK, CMD_NONE };

			assert_int_equal(ui_key_command('\n', dialog_cmds, NULL, 1), CMD_OK);
		}
	}
	editor_free(e);
}

/* Every Esc or Alt binding has an F-key twin (terminals and SSH clients
 * that eat Esc or Alt must not lock a clerk out of a command). */
static void test_keymap_f_key_twins(void **state)
{
	int cmd;
	char buf[32];

	(void)state;
	for (cmd = CMD_NONE + 1; cmd < CMD_COUNT; cmd++) {
		const ui_command *c = ui_command_info(cmd);
		int i, needs = 0, has_f = 0;

		assert_non_null(c);
		assert_true(c->name && *c->name && c->help && *c->help);
		for (i = 0; i < 3; i++) {
			int k = c->keys[i];

			if (k == UI_ESC || (k & UI_ALT))
				needs = 1;
			if ((k & UI_KEYCODE) && (k & ~UI_KEYCODE) >= KEY_F(1) &&
			    (k & ~UI_KEYCODE) <= KEY_F(12))
				has_f = 1;
		}
		if (needs && !has_f)
			fail_msg("%s has an Esc/Alt key but no F-key twin", c->name);
	}
	assert_string_equal(ui_key_name(UI_KEY(KEY_F(10)), buf, sizeof buf), "F10");
	assert_string_equal(ui_key_name(UI_ALT_KEY('s'), buf, sizeof buf), "Alt-S");
	assert_string_equal(ui_key_name(UI_CTRL('l'), buf, sizeof buf), "Ctrl-L");
	assert_string_equal(ui_key_name('\n', buf, sizeof buf), "Enter");
	assert_int_equal(ui_command_key(CMD_BACK, 1), UI_ESC);
	assert_int_equal(ui_command_key(CMD_HELP, 1), UI_KEY(KEY_F(1)));
	assert_int_equal(ui_key_from_wch(KEY_CODE_YES, KEY_UP), UI_KEY(KEY_UP));
	assert_int_equal(ui_key_from_wch(OK, 0x0103), 0x0103); /* "ă", not KEY_UP */
	{
		char u[5];

		assert_int_equal(editor_utf8(0x4E2D, u), 3);
		assert_string_equal(u, "中");
		assert_int_equal(editor_utf8(0x1F600, u), 4);
		assert_int_equal(editor_utf8(0xD800, u), 0);
	}
}


/* ------------------------------------------------------------------ undo */

/* Type s character by character, as get_wch delivers it. */
static void type(editor *e, const char *s)
{
	size_t i = 0, n = strlen(s);
	ui_event ev = { 0 };

	while (i < n) {
		uint32_t cp;

		text_decode(s, n, &i, &cp);
		ev.key = cp == '\n' ? '\n' : (int)cp;
		assert_int_equal(editor_key(e, cp == '\n' ? CMD_OPEN : CMD_NONE, &ev), EDITOR_CHANGED);
	}
}

static int press(editor *e, int cmd)
{
	ui_event ev = { 0 };

	return editor_key(e, cmd, &ev);
}

static void test_undo_typing_word_by_word(void **state)
{
	editor *e = editor_new(0);

	(void)state;
	assert_int_equal(press(e, CMD_UNDO), EDITOR_NOTHING);
	type(e, "hello world");
	assert_int_equal(editor_undo_depth(e), 2);
	assert_int_equal(press(e, CMD_UNDO), EDITOR_CHANGED);
	assert_string_equal(editor_text(e), "hello ");
	assert_int_equal(editor_cursor(e), 6);
	assert_int_equal(press(e, CMD_UNDO), EDITOR_CHANGED);
	assert_string_equal(editor_text(e), "");
	assert_int_equal(editor_chars(e), 0);
	assert_int_equal(press(e, CMD_UNDO), EDITOR_NOTHING);
	assert_true(editor_modified(e));
	editor_free(e);
}

/* Chinese has no spaces: a clause and its punctuation are one step. */
static void test_undo_chinese_by_clause(void **state)
{
	editor *e = editor_new(0);

	(void)state;
	type(e, "您好，请携带身份证。\n到5号窗口");
	assert_int_equal(editor_chars(e), 16);
	assert_true(editor_undo(e));
	assert_string_equal(editor_text(e), "您好，请携带身份证。\n");
	assert_true(editor_undo(e));
	assert_string_equal(editor_text(e), "您好，");
	assert_int_equal(editor_chars(e), 3);
	assert_int_equal(editor_cursor(e), strlen("您好，"));
	assert_true(editor_undo(e));
	assert_string_equal(editor_text(e), "");
	assert_false(editor_undo(e));
	editor_free(e);
}

static void test_undo_erasing_and_cutting(void **state)
{
	editor *e = editor_new(0);
	size_t end;

	(void)state;
	editor_set_text(e, "办理时限五个工作日");
	assert_int_equal(editor_undo_depth(e), 0); /* a draft put back is the start */
	end = editor_cursor(e);
	/* Three Backspaces in a row: one step, cursor back at the end. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(press(e, CMD_BACKSPACE), EDITOR_CHANGED);
	assert_string_equal(editor_text(e), "办理时限五个");
	assert_int_equal(editor_undo_depth(e), 1);
	assert_true(editor_undo(e));
	assert_string_equal(editor_text(e), "办理时限五个工作日");
	assert_int_equal(editor_cursor(e), end);
	/* Deletes in a row from the start: one step. */
	assert_int_equal(press(e, CMD_HOME), EDITOR_MOVED);
	press(e, CMD_DELETE);
	press(e, CMD_DELETE);
	assert_string_equal(editor_text(e), "时限五个工作日");
	assert_true(editor_undo(e));
	assert_string_equal(editor_text(e), "办理时限五个工作日");
	assert_int_equal(editor_cursor(e), 0);
	/* A cut line (Ctrl-K), then a canned reply: one step each. */
	editor_set_cursor(e, strlen("办理"));
	assert_int_equal(press(e, CMD_KILL_EOL), EDITOR_CHANGED);
	assert_string_equal(editor_text(e), "办理");
	assert_int_equal(editor_insert(e, "您好！请携带身份证原件。"), 12);
	assert_true(editor_undo(e));
	assert_string_equal(editor_text(e), "办理");
	assert_true(editor_undo(e));
	assert_string_equal(editor_text(e), "办理时限五个工作日");
	assert_int_equal(editor_cursor(e), strlen("办理"));
	assert_int_equal(editor_chars(e), 9);
	assert_false(editor_undo(e));
	editor_free(e);
}

/* Moving the cursor ends a step: typing elsewhere is undone apart. */
static void test_undo_move_ends_a_step(void **state)
{
	editor *e = editor_new(0);

	(void)state;
	type(e, "ab");
	press(e, CMD_LEFT);
	type(e, "中");
	assert_string_equal(editor_text(e), "a中b");
	assert_true(editor_undo(e));
	assert_string_equal(editor_text(e), "ab");
	assert_int_equal(editor_cursor(e), 1);
	assert_true(editor_undo(e));
	assert_string_equal(editor_text(e), "");
	editor_free(e);
}

/* A long word typed without a break is undone in pieces of 32. */
static void test_undo_long_run_in_pieces(void **state)
{
	editor *e = editor_new(0);
	char run[41];

	(void)state;
	memset(run, 'x', 40);
	run[40] = '\0';
	type(e, run);
	assert_int_equal(editor_undo_depth(e), 2);
	assert_true(editor_undo(e));
	assert_int_equal(editor_chars(e), 32);
	editor_free(e);
}

/* The stack is bounded: the oldest steps go, the newest stay undoable. */
static void test_undo_is_bounded(void **state)
{
	editor *e = editor_new(0);
	char *big = malloc(400 * 1024 + 1);
	int i;

	(void)state;
	for (i = 0; i < EDITOR_UNDO_MAX + 100; i++)
		editor_insert(e, "字");
	assert_int_equal(editor_undo_depth(e), EDITOR_UNDO_MAX);
	for (i = 0; i < EDITOR_UNDO_MAX; i++)
		assert_true(editor_undo(e));
	assert_false(editor_undo(e));
	assert_int_equal(editor_chars(e), 100); /* the 100 oldest steps were dropped */

	/* Bytes too: three pastes of 400 KB keep the last two. */
	memset(big, 'a', 400 * 1024);
	big[400 * 1024] = '\0';
	editor_set_text(e, "");
	for (i = 0; i < 3; i++)
		editor_insert(e, big);
	assert_int_equal(editor_undo_depth(e), 2);
	assert_true(editor_undo(e));
	assert_true(editor_undo(e));
	assert_false(editor_undo(e));
	assert_int_equal(editor_bytes(e), 400 * 1024);
	free(big);
	editor_free(e);
}

/* Full: what was not inserted is no step; undo never overfills. */
static void test_undo_with_a_limit(void **state)
{
	editor *e = editor_new(5);

	(void)state;
	type(e, "abc d");
	assert_int_equal(press(e, CMD_NONE), EDITOR_IGNORED);
	{
		ui_event ev = { .key = 'x' };
		assert_int_equal(editor_key(e, CMD_NONE, &ev), EDITOR_FULL);
	}
	assert_int_equal(editor_undo_depth(e), 2);
	press(e, CMD_BACKSPACE);
	press(e, CMD_BACKSPACE);
	assert_string_equal(editor_text(e), "abc");
	assert_true(editor_undo(e));
	assert_string_equal(editor_text(e), "abc d");
	assert_int_equal(editor_chars(e), 5);
	editor_free(e);
}

/* Ctrl-Z and its F-key twin F4 reach an editor screen. */
static void test_undo_keys(void **state)
{
	static const int reply_cmds[] = { CMD_SEND, CMD_CANNED, CMD_UNDO, CMD_NONE };
	char buf[32];

	(void)state;
	assert_int_equal(ui_key_command(UI_CTRL('z'), reply_cmds, editor_commands, 1), CMD_UNDO);
	assert_int_equal(ui_key_command(UI_KEY(KEY_F(4)), reply_cmds, editor_commands, 1), CMD_UNDO);
	/* A dialog's prompt lists editor_commands only: undo works there too. */
	assert_int_equal(ui_key_command(UI_CTRL('z'), NULL, editor_commands, 1), CMD_UNDO);
	/* The key bar shows Ctrl-Z (usable on a text screen). */
	assert_int_equal(ui_command_key(CMD_UNDO, 1), UI_CTRL('z'));
	assert_string_equal(ui_key_name(UI_CTRL('z'), buf, sizeof buf), "Ctrl-Z");
	/* Page keys are named as the keyboard names them ("PgDn 下页"). */
	assert_string_equal(ui_key_name(UI_KEY(KEY_NPAGE), buf, sizeof buf), "PgDn");
	assert_string_equal(ui_key_name(UI_KEY(KEY_PPAGE), buf, sizeof buf), "PgUp");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_latin_and_cjk),
		cmocka_unit_test(test_cursor_moves_by_character),
		cmocka_unit_test(test_up_down_by_cell_mixed_widths),
		cmocka_unit_test(test_wrap_chinese_paragraph_at_40),
		cmocka_unit_test(test_backspace_delete_wide),
		cmocka_unit_test(test_paste_10000_characters),
		cmocka_unit_test(test_reflow_keeps_text_and_cursor),
		cmocka_unit_test(test_input_is_sanitised),
		cmocka_unit_test(test_home_end_kill),
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_keymap_f_key_twins),
		cmocka_unit_test(test_undo_typing_word_by_word),
		cmocka_unit_test(test_undo_chinese_by_clause),
		cmocka_unit_test(test_undo_erasing_and_cutting),
		cmocka_unit_test(test_undo_move_ends_a_step),
		cmocka_unit_test(test_undo_long_run_in_pieces),
		cmocka_unit_test(test_undo_is_bounded),
		cmocka_unit_test(test_undo_with_a_limit),
		cmocka_unit_test(test_undo_keys),
	};

	if (!setlocale(LC_ALL, "C.UTF-8")) {
		fprintf(stderr, "test_editor: the C.UTF-8 locale is missing\n");
		return 1;
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
