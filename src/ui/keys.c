/* keys.c - the command table from commands.def, key names, key lookup. */
#include "ui/keys.h"

#include <stdio.h>
#include <string.h>

#include "common/i18n.h"

static const ui_command commands[] = {
	{ CMD_NONE, { 0, 0, 0 }, "", "" },
#define CMD(id, k1, k2, k3, name, help) { CMD_##id, { k1, k2, k3 }, name, help },
#include "ui/commands.def"
#undef CMD
};

const int ui_always_commands[] = {
	CMD_UP, CMD_DOWN, CMD_LEFT, CMD_RIGHT, CMD_PGUP, CMD_PGDN, CMD_HOME,
	CMD_END, CMD_OPEN, CMD_BACK, CMD_HELP, CMD_QUIT, CMD_REFRESH, CMD_NONE
};

const ui_command *ui_command_info(int cmd)
{
	if (cmd <= CMD_NONE || cmd >= CMD_COUNT)
		return NULL;
	return &commands[cmd];
}

/* Text on a text-input screen: anything a person types as a character. */
static int is_text_key(int key)
{
	if (key & (UI_KEYCODE | UI_ALT))
		return 0;
	return key >= 0x20 && key != 0x7f;
}

static int bound(int cmd, int key)
{
	const ui_command *c = ui_command_info(cmd);
	int i;

	if (!c)
		return 0;
	for (i = 0; i < 3; i++)
		if (c->keys[i] && c->keys[i] == key)
			return 1;
	return 0;
}

static int find_in(const int *cmds, int key)
{
	if (!cmds)
		return CMD_NONE;
	for (; *cmds != CMD_NONE; cmds++)
		if (bound(*cmds, key))
			return *cmds;
	return CMD_NONE;
}

int ui_key_command(int key, const int *screen_cmds, const int *extra_cmds, int text_input)
{
	int cmd;

	if (key == 0 || (text_input && is_text_key(key)))
		return CMD_NONE;
	cmd = find_in(screen_cmds, key);
	if (cmd == CMD_NONE)
		cmd = find_in(extra_cmds, key);
	if (cmd == CMD_NONE)
		cmd = find_in(ui_always_commands, key);
	return cmd;
}

int ui_command_key(int cmd, int text_input)
{
	const ui_command *c = ui_command_info(cmd);
	int i;

	if (!c)
		return 0;
	for (i = 0; i < 3; i++) {
		if (!c->keys[i])
			continue;
		if (!text_input || !is_text_key(c->keys[i]))
			return c->keys[i];
	}
	return 0;
}

/* legend: the name is what the key itself says and is shown as it is
 * ("PgDn 下页" in the key bar: the key, then what it does). */
static const struct {
	int key;
	const char *name;
	int legend;
} key_names[] = {
	{ UI_KEY(KEY_UP), N_("Up"), 0 },
	{ UI_KEY(KEY_DOWN), N_("Down"), 0 },
	{ UI_KEY(KEY_LEFT), N_("Left"), 0 },
	{ UI_KEY(KEY_RIGHT), N_("Right"), 0 },
	{ UI_KEY(KEY_PPAGE), "PgUp", 1 },
	{ UI_KEY(KEY_NPAGE), "PgDn", 1 },
	{ UI_KEY(KEY_HOME), N_("Home"), 0 },
	{ UI_KEY(KEY_END), N_("End"), 0 },
	{ UI_KEY(KEY_ENTER), N_("Enter"), 0 },
	{ UI_KEY(KEY_BACKSPACE), N_("BkSp"), 0 },
	{ UI_KEY(KEY_DC), N_("Del"), 0 },
	{ UI_KEY(KEY_IC), N_("Ins"), 0 },
	{ UI_KEY(KEY_BTAB), N_("S-Tab"), 0 },
	{ '\n', N_("Enter"), 0 },
	{ '\r', N_("Enter"), 0 },
	{ '\t', N_("Tab"), 0 },
	{ ' ', N_("Space"), 0 },
	{ UI_ESC, N_("Esc"), 0 },
	{ 127, N_("BkSp"), 0 },
};

const char *ui_key_name(int key, char *buf, size_t n)
{
	size_t i;

	if (!buf || n == 0)
		return "";
	buf[0] = '\0';
	for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
		if (key_names[i].key == key) {
			snprintf(buf, n, "%s", key_names[i].legend ? key_names[i].name : _(key_names[i].name));
			return buf;
		}
	}
	if (key & UI_KEYCODE) {
		int k = key & ~UI_KEYCODE;

		if (k >= KEY_F(1) && k <= KEY_F(63))
			snprintf(buf, n, "F%d", k - KEY_F0);
		else
			snprintf(buf, n, "#%d", k);
		return buf;
	}
	if (key & UI_ALT) {
		int c = key & ~UI_ALT;

		if (c >= 'a' && c <= 'z')
			c -= 'a' - 'A';
		if (c > 0x20 && c < 0x7f)
			snprintf(buf, n, "Alt-%c", c);
		else
			snprintf(buf, n, "Alt-#%d", c);
		return buf;
	}
	if (key > 0 && key < 0x20) {
		snprintf(buf, n, "Ctrl-%c", key + '@');
		return buf;
	}
	if (key > 0x20 && key < 0x7f) {
		snprintf(buf, n, "%c", key);
		return buf;
	}
	snprintf(buf, n, "U+%04X", (unsigned)key);
	return buf;
}

int ui_key_from_wch(int rc, wint_t wc)
{
	if (rc == KEY_CODE_YES)
		return UI_KEY((int)wc);
	if (rc == OK)
		return (int)wc;
	return 0;
}

int ui_scroll(size_t *top, size_t lines, size_t height, int cmd, const ui_event *ev)
{
	size_t old = *top, page, max;

	if (height < 1)
		height = 1;
	page = height > 1 ? height - 1 : 1;
	max = lines > height ? lines - height : 0;
	if (ev && ev->mouse == UI_MOUSE_WHEEL_UP)
		cmd = CMD_UP;
	else if (ev && ev->mouse == UI_MOUSE_WHEEL_DOWN)
		cmd = CMD_DOWN;
	switch (cmd) {
	case CMD_UP:
		*top = *top ? *top - 1 : 0;
		break;
	case CMD_DOWN:
		*top = *top + 1;
		break;
	case CMD_PGUP:
		*top = *top > page ? *top - page : 0;
		break;
	case CMD_PGDN:
		*top = *top + page;
		break;
	case CMD_HOME:
		*top = 0;
		break;
	case CMD_END:
		*top = max;
		break;
	default:
		/* Not a scroll: only keep *top within the text (after a resize). */
		if (*top > max)
			*top = max;
		return -1;
	}
	if (*top > max)
		*top = max;
	return *top != old;
}
