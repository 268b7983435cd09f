/* test_replica.c - the decisions of db/replica.c that need no server: how a
 * lag is believed, where a report read goes in each state, the sentence
 * the screens show (in the zh_CN catalogue of the build tree, as the hall
 * reads it), and which failure is a standby's recovery conflict.
 *
 * The connections themselves are tested against a real primary and
 * standby in tests/integration/replica_test.sh and tests/e2e/27_replica.sh.
 */
#include <libgen.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/i18n.h"
#include "db/replica.h"

/* ---- the lag ------------------------------------------------------------ */

static void test_lag_under_is_believed_at_once(void **state)
{
	replica_lag l;

	(void)state;
	replica_lag_reset(&l);
	assert_false(l.known);
	assert_int_equal(replica_lag_measured(&l, 0.0, 5, 0), 0);
	assert_true(l.known);
	assert_true(l.seconds == 0.0);
	assert_int_equal(replica_lag_measured(&l, 4.9, 5, 0), 0);
	assert_true(l.seconds == 4.9);
	assert_int_equal(replica_lag_measured(&l, 5.0, 5, 0), 0); /* at the limit: not over */
	assert_true(l.seconds == 5.0);
}

static void test_lag_over_needs_a_second_look(void **state)
{
	replica_lag l;

	(void)state;
	replica_lag_reset(&l);
	replica_lag_measured(&l, 0.5, 5, 0);
	/* WAL caught between received and replayed reads as the age of the
	 * last commit (an hour of quiet): not believed yet, look again. */
	assert_int_equal(replica_lag_measured(&l, 3600, 5, 0), 1);
	assert_true(l.seconds == 0.5);
	assert_true(l.pending_over);
	/* The second look says the replay has passed it: nothing. */
	assert_int_equal(replica_lag_measured(&l, 0, 5, 1), 0);
	assert_false(l.pending_over);
	assert_true(l.seconds == 0.0);
	/* Over, and over again at the second look: believed. */
	assert_int_equal(replica_lag_measured(&l, 12, 5, 0), 1);
	assert_true(l.seconds == 0.0);
	assert_int_equal(replica_lag_measured(&l, 13, 5, 1), 0);
	assert_true(l.seconds == 13.0);
	/* Every later one over is looked at twice as well: a standby just
	 * behind may catch up between two reloads. */
	assert_int_equal(replica_lag_measured(&l, 20, 5, 0), 1);
	assert_true(l.seconds == 13.0);
	assert_int_equal(replica_lag_measured(&l, 20, 5, 1), 0);
	assert_true(l.seconds == 20.0);
	/* And it is back under at once. */
	assert_int_equal(replica_lag_measured(&l, 1, 5, 0), 0);
	assert_true(l.seconds == 1.0);
}

static void test_lag_unknown_keeps_what_was_known(void **state)
{
	replica_lag l;

	(void)state;
	replica_lag_reset(&l);
	assert_int_equal(replica_lag_measured(&l, -1, 5, 0), 0);
	assert_false(l.known);
	replica_lag_measured(&l, 2, 5, 0);
	assert_int_equal(replica_lag_measured(&l, -1, 5, 0), 0);
	assert_true(l.known);
	assert_true(l.seconds == 2.0);
	/* Unknown at the second look: nothing believed, nothing pending. */
	assert_int_equal(replica_lag_measured(&l, 9, 5, 0), 1);
	assert_int_equal(replica_lag_measured(&l, -1, 5, 1), 0);
	assert_false(l.pending_over);
	assert_true(l.seconds == 2.0);
}

/* ---- the state ------------------------------------------------------------ */

static replica_lag lag_of(double s)
{
	replica_lag l = { .known = 1, .seconds = s };
	return l;
}

static void test_decide(void **state)
{
	replica_lag none = { 0 }, small = lag_of(3), behind = lag_of(30), far = lag_of(600);

	(void)state;
	assert_int_equal(replica_decide(0, DB_READY, 1, &small, 5, 60), REPLICA_NONE);
	assert_int_equal(replica_decide(0, DB_DISCONNECTED, 1, NULL, 5, 60), REPLICA_NONE);
	/* Not connected: waiting for its first attempt, or down. */
	assert_int_equal(replica_decide(1, DB_CONNECTING, 0, &none, 5, 60), REPLICA_WAITING);
	assert_int_equal(replica_decide(1, DB_DISCONNECTED, 0, &none, 5, 60), REPLICA_WAITING);
	assert_int_equal(replica_decide(1, DB_DISCONNECTED, 1, &none, 5, 60), REPLICA_DOWN);
	assert_int_equal(replica_decide(1, DB_CONNECTING, 1, &small, 5, 60), REPLICA_DOWN);
	/* Connected: by the lag. */
	assert_int_equal(replica_decide(1, DB_READY, 1, &none, 5, 60), REPLICA_FRESH);
	assert_int_equal(replica_decide(1, DB_READY, 1, NULL, 5, 60), REPLICA_FRESH);
	assert_int_equal(replica_decide(1, DB_READY, 1, &small, 5, 60), REPLICA_FRESH);
	assert_int_equal(replica_decide(1, DB_READY, 1, &behind, 5, 60), REPLICA_BEHIND);
	assert_int_equal(replica_decide(1, DB_READY, 1, &far, 5, 60), REPLICA_TOO_FAR);
	/* fallback_lag 0: never leave it for its lag. */
	assert_int_equal(replica_decide(1, DB_READY, 1, &far, 5, 0), REPLICA_BEHIND);

	assert_true(replica_state_reads_there(REPLICA_FRESH));
	assert_true(replica_state_reads_there(REPLICA_BEHIND));
	assert_false(replica_state_reads_there(REPLICA_TOO_FAR));
	assert_false(replica_state_reads_there(REPLICA_DOWN));
	assert_false(replica_state_reads_there(REPLICA_WAITING));
	assert_false(replica_state_reads_there(REPLICA_NONE));
}

/* Without a report database the route is the primary, whatever it is. */
static void test_route_without_replica(void **state)
{
	(void)state;
	assert_null(replica_route(NULL, NULL));
	assert_int_equal(replica_state_now(NULL, NULL), REPLICA_NONE);
	assert_null(replica_session(NULL));
	assert_int_equal(replica_in_recovery(NULL), -1);
	assert_false(replica_checking(NULL));
	replica_check(NULL);  /* nothing to do, no crash */
	replica_free(NULL);
	assert_null(replica_open(NULL, "host=x", 1, 1, 5, 60));
}

/* ---- the words -------------------------------------------------------------- */

static void test_notes(void **state)
{
	char buf[160];

	(void)state;
	assert_string_equal(replica_note(REPLICA_NONE, 0, 0, buf, sizeof buf), "");
	assert_string_equal(replica_note(REPLICA_WAITING, 0, 0, buf, sizeof buf), "");
	assert_string_equal(replica_note(REPLICA_FRESH, 3, 1, buf, sizeof buf), "");
	assert_string_equal(replica_note(REPLICA_DOWN, 0, 0, buf, sizeof buf), "报表库不可用，数据取自主库");
	assert_string_equal(replica_note(REPLICA_BEHIND, 12.4, 1, buf, sizeof buf), "报表库延迟 12 秒");
	assert_string_equal(replica_note(REPLICA_TOO_FAR, 75.6, 0, buf, sizeof buf), "报表库延迟 76 秒，数据取自主库");
	/* Too far, but the primary is down: the figures do come from it. */
	assert_string_equal(replica_note(REPLICA_TOO_FAR, 75.6, 1, buf, sizeof buf), "报表库延迟 76 秒");
	/* A short buffer is cut, never overrun. */
	assert_string_equal(replica_note(REPLICA_BEHIND, 12, 1, buf, 4), "报");
	assert_ptr_equal(replica_note(REPLICA_DOWN, 0, 0, buf, 0), buf);
}

static void test_conflict(void **state)
{
	db_reply r = { .status = DB_FAILED, .sqlstate = "40001", .reason = "", .error = "canceling statement due to "
	                                                                               "conflict with recovery" };

	(void)state;
	assert_true(replica_is_conflict(&r));
	r.sqlstate = "40P01";
	assert_false(replica_is_conflict(&r));
	r.sqlstate = "25006"; /* a write on a standby: a bug, shown as one */
	assert_false(replica_is_conflict(&r));
	r.sqlstate = "40001";
	r.status = DB_LOST;
	assert_false(replica_is_conflict(&r));
	r.status = DB_OK;
	assert_false(replica_is_conflict(&r));
	assert_false(replica_is_conflict(NULL));
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lag_under_is_believed_at_once),
		cmocka_unit_test(test_lag_over_needs_a_second_look),
		cmocka_unit_test(test_lag_unknown_keeps_what_was_known),
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_route_without_replica),
		cmocka_unit_test(test_notes),
		cmocka_unit_test(test_conflict),
	};
	const char *dir = getenv("HALLTERM_LOCALEDIR");
	char *self = strdup(argc > 0 ? argv[0] : ".");
	char path[4096];

	if (!dir || !*dir) {
		/* <build>/tests/test_replica -> <build>/locale */
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
