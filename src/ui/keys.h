/* keys.h - commands and keys: the enum built from commands.def, key
 * codes for everything get_wch() can deliver, key names for the key bar and
 * the help screen, and the key -> command lookup the loop uses.
 *
 * No terminal is needed for anything here (unit tests use it directly).
 */
#ifndef HALLTERM_UI_KEYS_H
#define HALLTERM_UI_KEYS_H

#include <stddef.h>
#include <curses.h>

/* One int holds any key:
 *   a Unicode code point (text, Enter '\n', Tab '\t', UI_CTRL('l'), UI_ESC);
 *   UI_KEY(KEY_*)     a curses function key (get_wch returned KEY_CODE_YES);
 *   UI_ALT_KEY(c)     Alt-c, i.e. Esc immediately followed by c.
 * The flag bits lie above U+10FFFF, so nothing overlaps (KEY_UP is 0403,
 * which is also the code point U+0103 "ă"). */
#define UI_KEYCODE      0x01000000
#define UI_ALT          0x02000000
#define UI_KEY(k)       (UI_KEYCODE | (k))
#define UI_ALT_KEY(c)   (UI_ALT | (c))
#define UI_CTRL(c)      ((c) & 0x1f)
#define UI_ESC          27

enum ui_cmd {
	CMD_NONE = 0, /* not a command: text for a text-input screen, or unbound */
#define CMD(id, k1, k2, k3, name, help) CMD_##id,
#include "ui/commands.def"
#undef CMD
	CMD_COUNT
};

typedef struct ui_command {
	int id;             /* CMD_* */
	int keys[3];        /* default keys, 0 = unused */
	const char *name;   /* untranslated short label: _(c->name) to show */
	const char *help;   /* untranslated help line: _(c->help) to show */
} ui_command;

/* What the loop hands a screen with each input. */
enum ui_mouse {
	UI_MOUSE_NONE = 0,
	UI_MOUSE_CLICK,       /* button 1 pressed once */
	UI_MOUSE_DOUBLE,      /* button 1 pressed twice on the same cell quickly */
	UI_MOUSE_WHEEL_UP,
	UI_MOUSE_WHEEL_DOWN,
};

typedef struct ui_event {
	int key;    /* the key (UI key code), or 0 for a mouse event */
	int mouse;  /* enum ui_mouse */
	int y, x;   /* mouse only: cell relative to the top-left of the body
	               window (the screen's drawing area); may be outside it */
} ui_event;

/* The command table entry for cmd (CMD_NONE < cmd < CMD_COUNT), else NULL. */
const ui_command *ui_command_info(int cmd);

/* Navigation and global commands every screen gets after its own:
 * UP DOWN LEFT RIGHT PGUP PGDN HOME END OPEN BACK HELP QUIT REFRESH.
 * CMD_NONE-terminated. */
extern const int ui_always_commands[];

/* The command the key means on a screen.  Looks in `screen_cmds` (may be
 * NULL; CMD_NONE-terminated) in order, then `extra_cmds` (may be NULL),
 * then ui_always_commands.  text_input != 0: a printable character (code
 * point >= 0x20, not DEL, no UI_KEYCODE/UI_ALT bit) is text and always
 * gives CMD_NONE, so 'q' or 'j' type a letter in the editor.  Unbound keys
 * give CMD_NONE. */
int ui_key_command(int key, const int *screen_cmds, const int *extra_cmds, int text_input);

/* The first default key of cmd that is usable on a text-input screen (not a
 * printable character), or its first key when text_input is 0; 0 if none.
 * The key bar shows this key. */
int ui_command_key(int cmd, int text_input);

/* A short name for a key: "F1", "Esc", "Enter", "PgDn", "Ctrl-L",
 * "Alt-S", "Up", "Space", "q".  Writes into buf (always NUL-terminated,
 * 16 bytes are enough) and returns buf. */
const char *ui_key_name(int key, char *buf, size_t n);

/* Turn what wget_wch() returned into a UI key code: rc is its return value
 * (OK or KEY_CODE_YES), wc the character or key.  Returns 0 for ERR. */
int ui_key_from_wch(int rc, wint_t wc);

/* Scroll a text of `lines` lines shown `height` at a time: Up, Down,
 * PgUp, PgDn (a page less one line), Home, End and the mouse wheel move
 * *top, kept within [0, lines - height].  Returns -1 when cmd/ev is no
 * scrolling (*top is then only clamped: call it with CMD_NONE after the
 * size changed), else 1 when *top moved, 0 when it stayed.  The help screen,
 * the text viewer and the case and inquiry screens all scroll with it. */
int ui_scroll(size_t *top, size_t lines, size_t height, int cmd, const ui_event *ev);

#endif
