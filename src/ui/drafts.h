/* drafts.h - reply drafts on disk, so a reply in progress survives a lost
 * connection, a crash and a restart.
 *
 * One file per key (e.g. "inquiry-123") in the drafts directory:
 * [drafts] dir, else $XDG_STATE_HOME/hallterm, else ~/.local/state/hallterm.
 * The directory is created 0700, files are 0600 (a reply may hold a
 * citizen's personal details).  Saving is atomic: a temporary file in the
 * same directory is written, fsync'ed and renamed over the old draft, and
 * the directory is fsync'ed, so a crash leaves the old or the new draft,
 * never half of one.
 *
 * Keys are turned into safe file names: [A-Za-z0-9_-] are kept, every
 * other byte becomes %XX, so "../x" can't leave the directory and two
 * different keys never share a file.  Keys are 1..128 bytes.
 *
 * Errors return -1 with a one-line reason (file name and strerror) in err.
 */
#ifndef HALLTERM_UI_DRAFTS_H
#define HALLTERM_UI_DRAFTS_H

#include <stddef.h>

#include "common/config.h"
#include "ui/editor.h"

/* The drafts directory for cfg (may be NULL: environment only).  Newly
 * allocated; NULL when neither the config, XDG_STATE_HOME (absolute) nor
 * HOME gives one. */
char *drafts_dir(const config *cfg);

/* Save text as the draft for key (creating dir and its missing parents,
 * 0700).  Returns 0 or -1. */
int drafts_save(const char *dir, const char *key, const char *text, char *err, size_t errlen);

/* Load the draft for key into *text (newly allocated, sanitised like the
 * editor's text).  Returns 1 when found, 0 when there is none (*text =
 * NULL), -1 on error (*text = NULL).  A draft that is not a regular file or
 * is larger than 1 MiB is an error. */
int drafts_load(const char *dir, const char *key, char **text, char *err, size_t errlen);

/* Remove the draft for key (after the reply was sent).  No draft is not an
 * error.  Returns 0 or -1. */
int drafts_remove(const char *dir, const char *key, char *err, size_t errlen);

/* The file name for key (without the directory), newly allocated, or NULL
 * for an empty or too long key. */
char *drafts_file_name(const char *key);

/* --- autosave: bind an editor to a draft -------------------------------- */

typedef struct drafts_autosave drafts_autosave;

/* Save e's text as the draft `key` every `seconds` (a loop timer) when it
 * changed, and whenever drafts_autosave_now is called.  dir and key are
 * copied; e is borrowed (free the autosave before the editor).  A failed
 * save shows one ui_status warning (not one per tick). */
drafts_autosave *drafts_autosave_new(editor *e, const char *dir, const char *key, int seconds);

/* Save now if the text changed (focus lost, screen closing).  An editor
 * emptied by the clerk removes the draft.  Returns 0 or -1. */
int drafts_autosave_now(drafts_autosave *a);

/* The reply was sent: remove the draft and stop saving. */
void drafts_autosave_discard(drafts_autosave *a);

/* Save if needed (unless discarded), cancel the timer, free. */
void drafts_autosave_free(drafts_autosave *a);

#endif
