/* db/training.c - starting an exercise: the clock, hall.exercise_begin and
 * the scenario's load through the public's functions, in one transaction
 * (training.h). */
#include "db/training.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/i18n.h"
#include "common/xalloc.h"
#include "db/conn.h"
#include "db/refusal.h"

/* ---- made-up citizens, drawn from the scenario's seed ------------------ */

typedef struct rng {
	uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static unsigned rng_below(rng *r, unsigned n)
{
	return (unsigned)(rng_next(r) % n);
}

#define PICK(r, arr) ((arr)[rng_below((r), (unsigned)(sizeof(arr) / sizeof((arr)[0])))])

static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡",
	"郭", "何", "高", "林", "于", "郑", "梁", "谢", "宋", "唐", "韩", "冯", "邓", "曹", "彭",
};
static const char *const given[] = {
	"伟", "强", "磊", "军", "杰", "涛", "明", "辉", "鹏", "华", "芳", "娜", "敏", "静", "丽",
	"艳", "娟", "婷", "雪", "琳", "慧", "颖", "倩", "丹", "欣", "怡", "佳", "晨", "宇", "博",
};
static const char *const areas[] = { "230102", "230103", "230104", "230108", "230109", "230110", "230183" };
static const char *const mobiles[] = { "138", "139", "150", "151", "158", "186", "187", "188", "199" };

/* GB 11643-1999 check character of 17 digits. */
static char id_check(const char *s17)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (s17[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

/* {"kind": "person", "name": ..., "id_number": ..., "phone": ...}: only
 * Chinese characters and digits, so no JSON escaping is needed. */
static char *make_applicant(rng *r)
{
	char id[32], phone[16], name[32];
	unsigned male = rng_below(r, 2);

	snprintf(id, sizeof id, "%s%04u%02u%02u%03u", PICK(r, areas), 1955 + rng_below(r, 50), 1 + rng_below(r, 12),
	         1 + rng_below(r, 28), rng_below(r, 500) * 2 + male);
	id[17] = id_check(id);
	id[18] = '\0';
	snprintf(phone, sizeof phone, "%s%08u", PICK(r, mobiles), rng_below(r, 100000000));
	snprintf(name, sizeof name, "%s%s%s", PICK(r, surnames), PICK(r, given), rng_below(r, 3) ? PICK(r, given) : "");
	return x_asprintf("{\"kind\": \"person\", \"name\": \"%s\", \"id_number\": \"%s\", \"phone\": \"%s\"}",
	                  name, id, phone);
}

/* A question and the department it belongs to (a regular expression on
 * the department's name: the demo's are 市场监管局, 公安局户籍, 人社局 ...). */
typedef struct question {
	const char *dept, *subject, *body;
} question;

static const question questions[] = {
	{ "市场", "营业执照经营范围变更", "我开了一家小超市，想增加预包装食品销售，营业执照的经营范围怎么变更？需要本人到现场吗？" },
	{ "市场", "食品经营许可证延续", "店里的食品经营许可证下个月到期，延续申请最晚什么时候提交？网上能办吗？" },
	{ "公安", "身份证丢失补办", "身份证丢了，补办需要多长时间？补办期间能先办临时身份证吗？" },
	{ "公安", "新生儿落户", "孩子刚出生，落户需要准备哪些材料？父亲的户口在外省可以落在母亲这边吗？" },
	{ "人社", "失业保险金申领", "公司和我解除了劳动合同，失业保险金怎么申请？需要带离职证明去窗口吗？" },
	{ "医保", "异地就医备案", "父母冬天在海南住半年，异地就医备案怎么办理？备案后门诊能直接结算吗？" },
	{ "税务", "个体户发票申领", "个体工商户第一次申领发票需要带什么？可以网上申领邮寄到家吗？" },
	{ "不动产", "二手房转移登记", "买二手房办理不动产转移登记，买卖双方需要同时到场吗？大概几个工作日能拿证？" },
	{ "公积金", "租房提取公积金", "租房提取住房公积金一年能提几次？需要房东提供什么材料？" },
	{ "民政", "结婚登记预约", "结婚登记需要提前预约吗？户口本在老家，只带身份证可以办理吗？" },
	{ "卫健", "出生医学证明补办", "孩子的出生医学证明原件丢了，在哪里补办？需要带哪些材料？" },
	{ "住建", "商品房预售资金", "买的期房迟迟不交房，想了解预售资金监管账户的情况，应该向哪个部门反映？" },
};

static const char *const angry[] = {
	"等了很久一直没人受理，电话也打不通",
	"材料要求前后说法不一致，跑了两趟",
	"工作人员态度冷淡，问什么都说不知道",
	"退回补正没有一次说清楚，又被退回一次",
};

/* ---- the transaction ---------------------------------------------------- */

/* Run one statement; NULL on failure with err: the refusal's sentence when
 * the database gave a known reason, else "what: its message". */
static PGresult *run(PGconn *pg, const char *what, const char *sql, int n, const char *const *params, char *err,
                     size_t errlen)
{
	PGresult *res = PQexecParams(pg, sql, n, NULL, params, NULL, NULL, 0);
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	char buf[1024];

	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	if (res && PQresultErrorField(res, PG_DIAG_SQLSTATE)) {
		const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
		const char *reason = hint && strncmp(hint, "reason:", 7) == 0 ? hint + 7 : "";

		if (*reason && refusal_known(reason)) {
			refusal_sentence(DB_FAILED, PQresultErrorField(res, PG_DIAG_SQLSTATE), reason, buf, sizeof buf);
			snprintf(err, errlen, "%s", buf);
		} else {
			snprintf(err, errlen, "%s: %s", what, db_result_error(res, buf, sizeof buf));
		}
	} else {
		snprintf(err, errlen, "%s: %s", what, db_error_line(pg, buf, sizeof buf));
	}
	PQclear(res);
	return NULL;
}

/* The moment the scenario's clock names, worked out by the database (its
 * calendar, its clock): "" -> NULL (leave the clock). */
static const char clock_sql[] =
	"SELECT CASE"
	"  WHEN $1 = '' THEN NULL"
	"  WHEN $1 ~ '^today [0-9]{1,2}:[0-9]{2}$' THEN"
	"    (hall.today() + split_part($1, ' ', 2)::time) AT TIME ZONE 'Asia/Shanghai'"
	"  WHEN $1 ~ '^next_workday [0-9]{1,2}:[0-9]{2}$' THEN"
	"    (hall.workday_add(hall.today(), 1) + split_part($1, ' ', 2)::time) AT TIME ZONE 'Asia/Shanghai'"
	"  ELSE $1::timestamptz END";

static int load_cases(PGconn *pg, const scenario *s, rng *r, db_training_loaded *out, char *err, size_t errlen)
{
	const char *params[3];
	PGresult *items;
	long total = s->walk_ins + s->online;
	int rc = 0;

	if (total == 0)
		return 0;
	params[0] = s->items;
	/* The items a window serves: all, those with the longest material
	 * lists, or the ones named. */
	items = run(pg, _("reading the service items"),
		"SELECT i.code FROM hall.items i"
		" WHERE EXISTS (SELECT 1 FROM hall.window_items wi WHERE wi.item_id = i.id)"
		"   AND ($1 IN ('any', 'most_materials')"
		"        OR i.code = ANY (regexp_split_to_array(trim($1), '[ ,]+')))"
		" ORDER BY CASE WHEN $1 = 'most_materials'"
		"               THEN -(SELECT count(*) FROM hall.materials m WHERE m.item_id = i.id) ELSE 0 END, i.code"
		" LIMIT CASE WHEN $1 = 'most_materials' THEN 6 END",
		1, params, err, errlen);
	if (!items)
		return -1;
	if (PQntuples(items) == 0) {
		snprintf(err, errlen, _("%s: [load] items: no service item served by a window matches \"%s\""), s->path,
		         s->items);
		PQclear(items);
		return -1;
	}
	for (long i = 0; i < total && rc == 0; i++) {
		char *app = make_applicant(r);
		PGresult *res;

		params[0] = PQgetvalue(items, (int)rng_below(r, (unsigned)PQntuples(items)), 0);
		params[1] = app;
		params[2] = i < s->walk_ins ? "window" : rng_below(r, 2) ? "web" : "app";
		res = run(pg, _("submitting a case"), "SELECT hall.demo_submit($1, $2::jsonb, $3)", 3, params, err,
		          errlen);
		if (!res)
			rc = -1;
		else
			out->submitted++;
		PQclear(res);
		free(app);
	}
	PQclear(items);
	return rc;
}

static int load_asks(PGconn *pg, const scenario *s, rng *r, db_training_loaded *out, char *err, size_t errlen)
{
	static const char *const channels[] = { "web", "app", "hotline" };
	long total = s->asks + s->misdirected;

	for (long i = 0; i < total; i++) {
		const question *q = &questions[rng_below(r, (unsigned)(sizeof questions / sizeof questions[0]))];
		int wrong = i >= s->asks;
		char pick[24], asker[128];
		const char *params[7];
		PGresult *res;

		snprintf(pick, sizeof pick, "%u", rng_below(r, 1000));
		snprintf(asker, sizeof asker, "{\"name\": \"%s%s\", \"phone\": \"%s%08u\"}", PICK(r, surnames),
		         PICK(r, given), PICK(r, mobiles), rng_below(r, 100000000));
		params[0] = PICK(r, channels);
		params[1] = q->dept;
		params[2] = wrong ? "t" : "f";
		params[3] = pick;
		params[4] = asker;
		params[5] = q->subject;
		params[6] = q->body;
		/* The department the question belongs to (or, misdirected, one
		 * it does not belong to); any department when none matches. */
		res = run(pg, _("asking a question"),
			"SELECT hall.demo_ask($1, d.code, $5::jsonb, $6, $7)"
			"  FROM (SELECT x.code FROM hall.departments x"
			"         ORDER BY (x.name ~ $2) = $3::boolean, (hashtext(x.code || $4)) LIMIT 1) d",
			7, params, err, errlen);
		if (!res)
			return -1;
		PQclear(res);
		out->asked++;
		out->misdirected += wrong;
	}
	return 0;
}

static int load_ratings(PGconn *pg, const scenario *s, rng *r, db_training_loaded *out, char *err, size_t errlen)
{
	char n[24];
	const char *params[3];
	PGresult *cases;
	int rc = 0;

	if (s->bad_ratings == 0)
		return 0;
	snprintf(n, sizeof n, "%ld", s->bad_ratings);
	params[0] = n;
	/* The latest completed cases a clerk closed, not rated yet. */
	cases = run(pg, _("looking for completed cases"),
		"SELECT a.id FROM hall.applications a"
		" WHERE a.state = 'completed' AND a.closed_by IS NOT NULL"
		"   AND NOT EXISTS (SELECT 1 FROM hall.ratings x WHERE x.kind = 'application' AND x.target_id = a.id)"
		" ORDER BY a.closed_at DESC, a.id LIMIT $1::int",
		1, params, err, errlen);
	if (!cases)
		return -1;
	for (int i = 0; i < PQntuples(cases) && rc == 0; i++) {
		PGresult *res;

		params[0] = PQgetvalue(cases, i, 0);
		params[1] = rng_below(r, 2) ? "1" : "2";
		params[2] = PICK(r, angry);
		res = run(pg, _("rating a case"), "SELECT hall.demo_rate('application', $1::bigint, $2::int, $3)", 3,
		          params, err, errlen);
		if (!res)
			rc = -1;
		else
			out->rated++;
		PQclear(res);
	}
	PQclear(cases);
	return rc;
}

int db_training_start_ex(PGconn *pg, const scenario *s, db_training_loaded *out, char *err, size_t errlen)
{
	db_training_loaded mine;
	rng r = { s->seed * 0x9E3779B97F4A7C15ULL + 12 };
	const char *params[3];
	PGresult *res;
	char clock_at[80] = "";
	int id;

	if (!out)
		out = &mine;
	memset(out, 0, sizeof *out);
	res = run(pg, _("starting the exercise"), "BEGIN", 0, NULL, err, errlen);
	if (!res)
		return -1;
	PQclear(res);

	params[0] = s->clock;
	res = run(pg, _("setting the clock"), clock_sql, 1, params, err, errlen);
	if (!res)
		goto fail;
	if (!PQgetisnull(res, 0, 0))
		snprintf(clock_at, sizeof clock_at, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);

	params[0] = s->name;
	params[1] = s->title;
	params[2] = *clock_at ? clock_at : NULL;
	res = run(pg, _("starting the exercise"), "SELECT hall.exercise_begin($1, $2, $3::timestamptz)", 3, params,
	          err, errlen);
	if (!res)
		goto fail;
	id = atoi(PQgetvalue(res, 0, 0));
	PQclear(res);

	if (load_cases(pg, s, &r, out, err, errlen) < 0 || load_asks(pg, s, &r, out, err, errlen) < 0
	    || load_ratings(pg, s, &r, out, err, errlen) < 0)
		goto fail;

	res = run(pg, _("reading the clock"),
		"SELECT to_char(hall.now() AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI')", 0, NULL, err, errlen);
	if (!res)
		goto fail;
	snprintf(out->clock, sizeof out->clock, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	res = run(pg, _("starting the exercise"), "COMMIT", 0, NULL, err, errlen);
	if (!res)
		return -1;
	PQclear(res);
	out->exercise = id;
	return id;
fail:
	PQclear(PQexec(pg, "ROLLBACK"));
	memset(out, 0, sizeof *out);
	return -1;
}

int db_training_start(PGconn *pg, const scenario *s, char *err, size_t errlen)
{
	return db_training_start_ex(pg, s, NULL, err, errlen);
}

int db_training_end(PGconn *pg, char *err, size_t errlen)
{
	PGresult *res = run(pg, _("ending the exercise"), "SELECT hall.exercise_end()", 0, NULL, err, errlen);

	if (!res)
		return -1;
	PQclear(res);
	return 0;
}
