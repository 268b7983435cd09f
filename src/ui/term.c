/* term.c - the terminal: setup, colour roles, signals, restore on exit.
 *
 * The only file that calls newterm/endwin, picks colours or installs signal
 * handlers (htop's CRT.c, tig's display.c).
 */
#include "ui/term.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/text.h"
#include "common/xalloc.h"

/* One row per role: colours for the colour scheme, attributes for both.
 * -1 is the terminal's own foreground/background (use_default_colors), so
 * hallterm looks right on light and dark terminals alike. */
static const struct role_def {
	short fg, bg;
	attr_t color_attr; /* with colours */
	attr_t mono_attr;  /* NO_COLOR, no colours, theme = mono */
} roles[TERM_ROLE_COUNT] = {
	[TERM_NORMAL]     = { -1, -1, A_NORMAL, A_NORMAL },
	[TERM_TITLE]      = { COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD },
	[TERM_BANNER]     = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD },
	[TERM_KEYBAR]     = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[TERM_KEYBAR_KEY] = { -1, -1, A_BOLD, A_BOLD },
	[TERM_HEADER]     = { COLOR_CYAN, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[TERM_SELECTED]   = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[TERM_WARN]       = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[TERM_OVERDUE]    = { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[TERM_OK]         = { COLOR_GREEN, -1, A_NORMAL, A_NORMAL },
	[TERM_DIM]        = { -1, -1, A_DIM, A_DIM },
	[TERM_ERROR]      = { COLOR_WHITE, COLOR_RED, A_BOLD, A_REVERSE | A_BOLD },
	[TERM_INPUT]      = { -1, -1, A_NORMAL, A_UNDERLINE },
};

static attr_t role_attr[TERM_ROLE_COUNT];
static int active;
static int use_colors;
static int mouse_allowed;
static int mouse_on;
static SCREEN *screen;
static int sig_pipe[2] = { -1, -1 };
static struct sigaction old_winch;
static int handlers_installed;

static const int quit_signals[] = { SIGTERM, SIGINT, SIGHUP };
static const int crash_signals[] = { SIGSEGV, SIGABRT, SIGBUS, SIGFPE };

/* Written with write(2) from the crash handler, where curses can't be
 * trusted to know the mouse state: switch off every xterm mouse mode we
 * may have turned on. */
static const char mouse_off_seq[] = "\033[?1000l\033[?1002l\033[?1003l\033[?1006l";

static int is_utf8_codeset(const char *cs)
{
	return cs && (strcasecmp(cs, "UTF-8") == 0 || strcasecmp(cs, "utf8") == 0);
}

static int want_colors(const config *cfg)
{
	const char *nc = getenv("NO_COLOR");
	const char *mode = cfg ? config_str(cfg, "ui", "colors") : "auto";
	const char *theme = cfg ? config_str(cfg, "ui", "theme") : "default";

	if (!has_colors())
		return 0;
	if (strcmp(mode, "never") == 0 || strcmp(theme, "mono") == 0)
		return 0;
	if (strcmp(mode, "always") == 0)
		return 1;
	/* https://no-color.org: set and not empty means no colour. */
	return !(nc && *nc);
}

static void setup_roles(void)
{
	int default_ok = 0;
	int i;

	if (use_colors) {
		start_color();
		default_ok = use_default_colors() == OK;
	}
	for (i = 0; i < TERM_ROLE_COUNT; i++) {
		const struct role_def *r = &roles[i];
		short fg = r->fg, bg = r->bg;

		if (!use_colors) {
			role_attr[i] = r->mono_attr;
			continue;
		}
		if (i == TERM_NORMAL && fg < 0 && bg < 0) {
			role_attr[i] = r->color_attr;
			continue;
		}
		/* Without default colours, -1 means white on black. */
		if (!default_ok) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		if (i >= COLOR_PAIRS || init_pair((short)i, fg, bg) == ERR)
			role_attr[i] = r->mono_attr;
		else
			role_attr[i] = r->color_attr | COLOR_PAIR(i);
	}
}

/* Ctrl-Z is a key (undo in the editor), not "suspend": a clerk who
 * presses it must not find hallterm gone to the background.  The
 * terminal's own setting comes back with endwin (ncurses saved it at
 * newterm as the shell mode). */
static void no_suspend_key(void)
{
	struct termios t;

	if (tcgetattr(STDIN_FILENO, &t) != 0)
		return;
	t.c_cc[VSUSP] = _POSIX_VDISABLE;
#ifdef VDSUSP
	t.c_cc[VDSUSP] = _POSIX_VDISABLE;
#endif
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) == 0)
		def_prog_mode();
}

/* Async-signal-safe: record the signal in the pipe the loop polls. */
static void note_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;

	if (sig_pipe[1] >= 0 && write(sig_pipe[1], &b, 1) < 0) {
		/* pipe full: a signal is already pending, nothing lost */
	}
	errno = saved;
}

static void on_winch(int sig)
{
	/* ncurses' own handler sets the flag that makes get_wch return
	 * KEY_RESIZE; the pipe byte wakes our poll(). */
	if (old_winch.sa_handler != SIG_DFL && old_winch.sa_handler != SIG_IGN &&
	    !(old_winch.sa_flags & SA_SIGINFO))
		old_winch.sa_handler(sig);
	note_signal(sig);
}

static void on_crash(int sig)
{
	if (active) {
		if (mouse_on && write(STDOUT_FILENO, mouse_off_seq, sizeof mouse_off_seq - 1) < 0) {
			/* nothing more we can do */
		}
		/* Not async-signal-safe, but the process is dying anyway and a
		 * broken terminal is worse (htop does the same). */
		endwin();
		active = 0;
	}
	/* SA_RESETHAND put the default action back: re-raise for the core
	 * dump and the right exit status. */
	raise(sig);
}

static void install_handlers(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = note_signal;
	sa.sa_flags = SA_RESTART;
	for (i = 0; i < sizeof quit_signals / sizeof quit_signals[0]; i++)
		sigaction(quit_signals[i], &sa, NULL);

	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, &old_winch);

	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++)
		sigaction(crash_signals[i], &sa, NULL);
	handlers_installed = 1;
}

static void remove_handlers(void)
{
	size_t i;

	if (!handlers_installed)
		return;
	for (i = 0; i < sizeof quit_signals / sizeof quit_signals[0]; i++)
		signal(quit_signals[i], SIG_DFL);
	for (i = 0; i < sizeof crash_signals / sizeof crash_signals[0]; i++)
		signal(crash_signals[i], SIG_DFL);
	sigaction(SIGWINCH, &old_winch, NULL);
	handlers_installed = 0;
}

static int open_pipe(void)
{
	int i;

	if (sig_pipe[0] >= 0)
		return 0;
	if (pipe(sig_pipe) < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		fcntl(sig_pipe[i], F_SETFL, fcntl(sig_pipe[i], F_GETFL) | O_NONBLOCK);
		fcntl(sig_pipe[i], F_SETFD, FD_CLOEXEC);
	}
	return 0;
}

static void fatal_hook(void)
{
	term_end();
}

int term_init(const config *cfg, char *err, size_t errlen)
{
	const char *cs = nl_langinfo(CODESET);
	const char *term = getenv("TERM");
	static int atexit_done;

	if (active)
		return 0;
	if (!is_utf8_codeset(cs)) {
		snprintf(err, errlen,
		         _("the character set of this terminal session is %s, not UTF-8: "
		           "set LANG to a UTF-8 locale (e.g. LANG=zh_CN.UTF-8 or C.UTF-8)"),
		         cs && *cs ? cs : "?");
		return -1;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, errlen, _("standard input and output must be a terminal"));
		return -1;
	}
	if (!term || !*term) {
		snprintf(err, errlen, _("TERM is not set: cannot drive the terminal"));
		return -1;
	}
	if (open_pipe() < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	/* newterm, not initscr: initscr exits the program on an unknown TERM. */
	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		snprintf(err, errlen, _("unknown terminal type \"%s\" (TERM)"), term);
		return -1;
	}
	set_term(screen);
	active = 1;
	x_set_fatal_hook(fatal_hook);
	if (!atexit_done) {
		atexit(term_end);
		atexit_done = 1;
	}

	cbreak();
	no_suspend_key();
	noecho();
	nl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	leaveok(stdscr, FALSE);

	use_colors = want_colors(cfg);
	setup_roles();

	mouse_allowed = cfg ? config_bool(cfg, "ui", "mouse") : 1;
	mouse_on = 0;
	if (mouse_allowed)
		term_mouse(1);

	install_handlers();
	return 0;
}

void term_end(void)
{
	if (!active)
		return;
	if (mouse_on) {
		mousemask(0, NULL);
		mouse_on = 0;
	}
	curs_set(1);
	endwin();
	active = 0;
	remove_handlers();
	fflush(stdout);
}

int term_active(void)
{
	return active;
}

attr_t term_attr(term_role role)
{
	if ((int)role < 0 || role >= TERM_ROLE_COUNT)
		return A_NORMAL;
	return role_attr[role];
}

int term_colors(void)
{
	return use_colors;
}

int term_mouse(int on)
{
	if (!active)
		return 0;
	if (on && mouse_allowed) {
		/* Every button event, with no click-resolution delay: the loop
		 * detects double clicks itself, so a single click acts at once.
		 * Not a narrower mask: ncurses then swallows the events left out
		 * (a release) by reading on, blocking in get_wch despite nodelay,
		 * and the loop stops answering until the next key. */
		mouseinterval(0);
		mousemask(ALL_MOUSE_EVENTS, NULL);
		mouse_on = 1;
	} else {
		mousemask(0, NULL);
		mouse_on = 0;
	}
	return mouse_on;
}

int term_mouse_enabled(void)
{
	return mouse_on;
}

int term_too_small(void)
{
	return COLS < TERM_MIN_COLS || LINES < TERM_MIN_LINES;
}

int term_signal_fd(void)
{
	return sig_pipe[0];
}

/* Normally ncurses' own SIGWINCH handler (chained from on_winch) makes
 * get_wch return KEY_RESIZE.  If it has none (the program had a handler
 * before term_init), resize here and queue the KEY_RESIZE ourselves. */
static void resize_without_ncurses(void)
{
	struct winsize ws;

	if (old_winch.sa_handler != SIG_DFL && old_winch.sa_handler != SIG_IGN)
		return;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0 || ws.ws_row == 0 || ws.ws_col == 0)
		return;
	if (ws.ws_row == LINES && ws.ws_col == COLS)
		return;
	resizeterm(ws.ws_row, ws.ws_col);
	ungetch(KEY_RESIZE);
}

int term_take_signal(void)
{
	unsigned char buf[32];
	int got = 0, winch = 0;
	ssize_t n;

	if (sig_pipe[0] < 0)
		return 0;
	while ((n = read(sig_pipe[0], buf, sizeof buf)) > 0) {
		ssize_t i;

		for (i = 0; i < n; i++) {
			if (buf[i] == SIGWINCH)
				winch = 1;
			else if (!got)
				got = buf[i];
		}
	}
	if (winch && active)
		resize_without_ncurses();
	return got;
}

int term_put(WINDOW *w, int y, int x, int cells, term_role role, int flags, const char *s)
{
	return term_put_attr(w, y, x, cells, term_attr(role), flags, s);
}

int term_put_attr(WINDOW *w, int y, int x, int cells, attr_t attr, int flags, const char *s)
{
	int maxy, maxx;
	char *fit;
	int width;

	if (!w)
		return 0;
	getmaxyx(w, maxy, maxx);
	if (y < 0 || y >= maxy || x < 0 || x >= maxx)
		return 0;
	if (cells > maxx - x)
		cells = maxx - x;
	if (cells <= 0)
		return 0;
	fit = text_fit(s, cells, flags);
	width = text_width(fit);
	wattrset(w, attr);
	mvwaddstr(w, y, x, fit);
	wattrset(w, A_NORMAL);
	free(fit);
	return width;
}

void term_fill(WINDOW *w, int y, int x, int cells, term_role role)
{
	int maxy, maxx;

	if (!w)
		return;
	getmaxyx(w, maxy, maxx);
	if (y < 0 || y >= maxy || x < 0 || x >= maxx)
		return;
	if (cells > maxx - x)
		cells = maxx - x;
	if (cells <= 0)
		return;
	mvwhline(w, y, x, ' ' | term_attr(role), cells);
}
