/* ctl/simulate.c - `hallctl simulate`: make the demo database busy.
 *
 *   hallctl simulate [--profile busy-morning|quiet|mixed|SCENARIO|FILE]
 *                    [--rate N] [--minutes M | --count N | --duration SECONDS]
 *                    [--seed S] [--mix submit=60,ask=20,resubmit=10,rate=10]
 *
 * --profile sets the rate, the mix and (a scenario's [simulate] minutes)
 * the stop; the options given beside it win (common/scenario.h).
 *
 * Every 60/N seconds (N actions a minute, default 30; 0: as fast as
 * possible) one thing the public does on the portal, chosen by the mix:
 *   submit    a new case for a random item, a made-up applicant (Chinese
 *             name, 18-digit ID number with its GB 11643 check digit or a
 *             company's GB 32100 credit code, mobile number), a channel;
 *             at the window or the kiosk the applicant also takes a
 *             ticket for the item's business line (schema/023);
 *   ask       an inquiry with a plausible question to a random department;
 *   resubmit  a returned case, with the materials its last return named;
 *   rate      a completed, unrated case: mostly 4-5, sometimes 1-2 with a
 *             comment (which opens a rectification);
 *   withdraw  a submitted or returned case (not in the default mix).
 * An action with nothing to act on (no returned case, nothing to rate)
 * submits a new case instead, and the summary says how often.
 *
 * Only through the portal's functions (hall.submit, ask, resubmit, rate,
 * withdraw), one transaction each, as the hall_portal group when the
 * connecting role may SET ROLE to it (a portal account, the superuser), so
 * the portal's grants are what is exercised; a trainer, who may not, goes
 * through hall.demo_submit, demo_ask, ... (012), which call the same
 * functions on a demo database only (the audit log then names the trainer
 * as the actor, which is the truth).  The cases to act on are found by reading the tables first
 * (the portal knows its own cases; we have to look).  Only a database whose
 * hall.mode() is 'demo' is touched: never production, never test.
 *
 * Deterministic: action i draws from its own splitmix64 stream seeded by
 * (seed, i), so the same seed on identical databases prints the same lines,
 * and an action that falls back or fails does not shift the ones after it.
 *
 * SIGINT/SIGTERM: finish the action in progress, print the summary, exit
 * 0; a second signal ends the program at once.
 *
 * Exit status: 0 done (count or duration reached, or SIGINT/SIGTERM),
 * 1 refused (not a demo database) or ten actions in a row failed,
 * 2 bad usage or a lost connection.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/i18n.h"
#include "common/scenario.h"
#include "common/text.h"
#include "common/xalloc.h"
#include "ctl/ctl.h"
#include "db/conn.h"

#define RATE_MAX 60000           /* actions a minute: 1000 a second */
#define COUNT_MAX 100000000L
#define DURATION_MAX 31536000L   /* a year, in seconds */
#define WEIGHT_MAX 1000000L
#define MAX_FAIL_STREAK 10       /* stop when this many actions in a row fail */
#define SLEEP_SLICE_NS 250000000L /* look at the stop flag this often */

/* ---- the actions and the mix ------------------------------------------ */

enum { ACT_SUBMIT, ACT_ASK, ACT_RESUBMIT, ACT_RATE, ACT_WITHDRAW, ACT_N };

static const char *const act_names[ACT_N] = { "submit", "ask", "resubmit", "rate", "withdraw" };
static const long default_mix[ACT_N] = { 60, 20, 10, 10, 0 };

/* --profile: how busy the public keeps the hall.  A scenario file's
 * [simulate] section (common/scenario.h) is a profile too. */
typedef struct profile {
	const char *name;
	long rate;
	long mix[ACT_N];
} profile;

static const profile profiles[] = {
	{ "busy-morning", 60, { 70, 20, 10, 0, 0 } },  /* the doors open: mostly new cases */
	{ "quiet", 6, { 40, 30, 20, 10, 0 } },         /* an afternoon lull */
	{ "mixed", 30, { 50, 20, 15, 13, 2 } },        /* a bit of everything, withdrawals too */
};

/* Rate, minutes (0: none) and mix of a built-in profile or a scenario's
 * name or file.  0, or -1 with the reason printed. */
static int load_profile(ctl_ctx *c, const char *what, long *rate, long *minutes, long mix[ACT_N])
{
	char err[1024];
	char *path;
	scenario *sc;

	for (size_t i = 0; i < sizeof profiles / sizeof profiles[0]; i++) {
		if (strcmp(what, profiles[i].name) == 0) {
			*rate = profiles[i].rate;
			*minutes = 0;
			memcpy(mix, profiles[i].mix, sizeof profiles[i].mix);
			return 0;
		}
	}
	path = scenario_find(what);
	if (!path) {
		char *q = text_sanitize(what, 0);
		ctl_error(c, _("--profile: expected busy-morning, quiet, mixed, a scenario's name or its file, "
		               "got \"%s\" (see hallctl exercise list)"), q);
		free(q);
		return -1;
	}
	sc = scenario_load(path, err, sizeof err);
	free(path);
	if (!sc) {
		ctl_error(c, "--profile: %s", err);
		return -1;
	}
	*rate = sc->rate;
	*minutes = sc->minutes;
	for (int k = 0; k < ACT_N; k++)
		mix[k] = sc->mix[k];
	scenario_free(sc);
	return 0;
}

/* "submit=60,ask=20": names from act_names, each at most once, weights
 * 0..WEIGHT_MAX, not all zero; names left out weigh 0.  Returns 0, or -1
 * with the reason printed. */
static int parse_mix(ctl_ctx *c, const char *spec, long weights[ACT_N])
{
	char *copy = x_strdup(spec), *tok, *save = NULL;
	int given[ACT_N] = { 0 };
	long total = 0;
	int rc = -1;

	for (int k = 0; k < ACT_N; k++)
		weights[k] = 0;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '='), *end;
		int k;
		long w;

		if (!eq || eq == tok || !eq[1]) {
			ctl_error(c, _("--mix: expected ACTION=WEIGHT, got \"%s\""), tok);
			goto out;
		}
		*eq = '\0';
		for (k = 0; k < ACT_N && strcmp(tok, act_names[k]) != 0; k++)
			;
		if (k == ACT_N) {
			ctl_error(c, _("--mix: unknown action \"%s\" (submit, ask, resubmit, rate or withdraw)"), tok);
			goto out;
		}
		if (given[k]) {
			ctl_error(c, _("--mix: \"%s\" is given twice"), tok);
			goto out;
		}
		errno = 0;
		w = strtol(eq + 1, &end, 10);
		if (eq[1] < '0' || eq[1] > '9' || *end || errno || w > WEIGHT_MAX) {
			ctl_error(c, _("--mix: the weight of \"%s\" must be a whole number from 0 to %ld, got \"%s\""),
			          tok, WEIGHT_MAX, eq + 1);
			goto out;
		}
		given[k] = 1;
		weights[k] = w;
		total += w;
	}
	if (total == 0) {
		ctl_error(c, _("--mix: the weights add up to 0: nothing to do"));
		goto out;
	}
	rc = 0;
out:
	free(copy);
	return rc;
}

static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!s || !*s || (*s != '-' && (*s < '0' || *s > '9')))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end || errno)
		return -1;
	*out = (uint64_t)v;
	return 0;
}

/* ---- randomness ------------------------------------------------------- */

/* splitmix64 (Steele, Lea, Flood 2014): tiny, fast, and the same on every
 * platform, which rand() is not. */
typedef struct rng {
	uint64_t s;
} rng;

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static uint64_t rng_next(rng *r)
{
	r->s += 0x9E3779B97F4A7C15ULL;
	return mix64(r->s);
}

/* The stream of action i: independent of what the actions before it drew. */
static rng rng_for(uint64_t seed, uint64_t i)
{
	rng r = { mix64(seed ^ 0x5EED5EED5EED5EEDULL) ^ mix64(i + 0x632BE59BD9B4E019ULL) };
	return r;
}

/* Uniform in [0, n), n > 0 (the modulo bias is below 2^-40 for our n). */
static unsigned rng_below(rng *r, unsigned n)
{
	return (unsigned)(rng_next(r) % n);
}

/* True with probability pct/100. */
static int rng_chance(rng *r, unsigned pct)
{
	return rng_below(r, 100) < pct;
}

/* An index skewed towards the start of a list sorted by frequency. */
static unsigned rng_skewed(rng *r, unsigned n)
{
	unsigned a = rng_below(r, n), b = rng_below(r, n);
	return a < b ? a : b;
}

#define PICK(r, arr) ((arr)[rng_below((r), (unsigned)(sizeof(arr) / sizeof((arr)[0])))])

/* ---- made-up citizens ------------------------------------------------- */

/* Common surnames, most frequent first (a few compound ones at the end). */
static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡",
	"郭", "何", "高", "林", "于", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
	"彭", "曾", "肖", "田", "董", "袁", "潘", "蒋", "蔡", "姜", "杜", "叶", "程", "苏", "魏",
	"吕", "丁", "任", "沈", "姚", "卢", "崔", "钟", "谭", "陆", "范", "金", "石", "贾", "付",
	"方", "白", "邹", "孟", "秦", "尹", "薛", "闫", "段", "雷", "侯", "史", "陶", "贺", "顾",
	"毛", "郝", "邵", "万", "常", "温", "康", "施", "牛", "葛", "邢", "齐", "乔", "庞", "关",
	"欧阳", "司马", "上官",
};
static const char *const given_male[] = {
	"伟", "强", "磊", "军", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉", "鹏", "华",
	"飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "旭", "宁", "龙", "林", "洋", "峰",
	"建", "国", "志", "海", "东", "亮", "成", "博", "文", "晨", "阳", "天", "宏", "振", "家",
	"子", "立", "德", "庆", "福",
};
static const char *const given_female[] = {
	"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "玲", "燕", "婷", "雪", "琳", "晶",
	"慧", "颖", "倩", "丹", "萍", "红", "梅", "莉", "洁", "欣", "怡", "悦", "璐", "佳", "琪",
	"梦", "雨", "涵", "馨", "月", "兰", "凤", "玉", "淑", "桂", "春", "晓", "文", "思", "蕾",
};

/* Harbin's districts and counties (GB/T 2260), the first six digits. */
static const char *const areas[] = {
	"230102", "230103", "230104", "230108", "230109", "230110", "230111", "230112", "230113",
	"230123", "230124", "230125", "230126", "230127", "230128", "230129", "230183", "230184",
};
static const char *const mobile_prefixes[] = {
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "150",
	"151", "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177",
	"178", "180", "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199",
};

static const char *const trade_words[] = {
	"鑫盛", "华通", "恒远", "泰隆", "兴源", "顺达", "宏瑞", "丰德", "嘉和", "安康", "金桥", "龙江",
	"冰城", "北方", "松江", "天怡", "博众", "德润",
};
static const char *const industries[] = {
	"商贸", "餐饮管理", "科技", "建筑工程", "物流", "文化传媒", "食品", "农业发展", "装饰工程",
	"信息技术", "医药", "汽车服务",
};
/* Items a company rather than a person applies for. */
static const char *const entity_words[] = {
	"企业", "公司", "食品经营", "生产许可", "排污", "道路运输", "建筑", "施工", "药品", "广告",
};

/* GB 11643-1999 check character (ISO 7064 MOD 11-2) of 17 digits. */
static char id_check(const char *s17)
{
	static const int w[17] = { 7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0;

	for (int i = 0; i < 17; i++)
		sum += (s17[i] - '0') * w[i];
	return "10X98765432"[sum % 11];
}

/* An 18-character citizen ID number: area, birth date, sequence (odd for
 * men), check character. */
static void make_id_number(rng *r, int male, char out[32])
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	unsigned y = 1950 + rng_below(r, 57); /* 1950..2006: adults */
	unsigned m = 1 + rng_below(r, 12);
	unsigned dmax = (unsigned)mdays[m - 1] + (m == 2 && y % 4 == 0 ? 1u : 0u);
	unsigned d = 1 + rng_below(r, dmax);
	unsigned seq = rng_below(r, 500) * 2 + (male ? 1u : 0u);

	snprintf(out, 32, "%s%04u%02u%02u%03u", PICK(r, areas), y, m, d, seq);
	out[17] = id_check(out);
	out[18] = '\0';
}

/* GB 32100-2015 unified social credit code: "91" (enterprise registered
 * with market regulation), area, GB 11714 organization code with its check
 * character, and the final check character over the 31-character set. */
static void make_credit_code(rng *r, char out[32])
{
	static const char set[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
	static const int wo[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
	static const int wc[17] = { 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28 };
	int sum = 0, c;

	snprintf(out, 32, "91%s%08u", PICK(r, areas), rng_below(r, 100000000));
	for (int i = 0; i < 8; i++)
		sum += (out[8 + i] - '0') * wo[i];
	c = 11 - sum % 11;
	out[16] = c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
	sum = 0;
	for (int i = 0; i < 17; i++)
		sum += (int)(strchr(set, out[i]) - set) * wc[i];
	out[17] = set[(31 - sum % 31) % 31];
	out[18] = '\0';
}

static void make_phone(rng *r, char out[32])
{
	snprintf(out, 32, "%s%08u", PICK(r, mobile_prefixes), rng_below(r, 100000000));
}

static void make_person_name(rng *r, int male, char out[64])
{
	const char *sur = surnames[rng_skewed(r, (unsigned)(sizeof surnames / sizeof surnames[0]))];
	const char *g1 = male ? PICK(r, given_male) : PICK(r, given_female);
	const char *g2 = male ? PICK(r, given_male) : PICK(r, given_female);

	if (rng_chance(r, 35) || strcmp(g1, g2) == 0)
		snprintf(out, 64, "%s%s", sur, g1);
	else
		snprintf(out, 64, "%s%s%s", sur, g1, g2);
}

typedef struct citizen {
	const char *kind; /* "person" or "entity" */
	char name[128];
	char id[32];
	char phone[32];
} citizen;

static void make_citizen(rng *r, int entity, citizen *p)
{
	int male = rng_chance(r, 50);

	if (entity) {
		p->kind = "entity";
		snprintf(p->name, sizeof p->name, "哈尔滨%s%s有限公司", PICK(r, trade_words), PICK(r, industries));
		make_credit_code(r, p->id);
	} else {
		p->kind = "person";
		make_person_name(r, male, p->name);
		make_id_number(r, male, p->id);
	}
	make_phone(r, p->phone);
}

/* ---- questions and comments ------------------------------------------- */

/* A question about one item of the department: subject 「item」+suffix,
 * body prefix+「item」+suffix. */
typedef struct item_question {
	const char *subject_suffix, *body_prefix, *body_suffix;
} item_question;

static const item_question item_questions[] = {
	{ "需要哪些材料", "请问办理", "需要准备哪些材料？复印件需要加盖公章吗？" },
	{ "能否全程网办", "请问", "可以在e冰城或全省事APP上全程网办吗？还是必须本人到窗口？" },
	{ "办理时限", "想咨询一下，", "承诺几个工作日办结？节假日算不算在内？" },
	{ "一直未受理", "我上周在网上提交了", "的申请，到现在还显示待受理，请问什么时候能受理？" },
	{ "能否委托代办", "本人在外地工作，", "可以委托家人代办吗？需要办理公证吗？" },
	{ "补正后多久办结", "我的", "被退回补正，材料已经重新提交了，请问补正后还要等多少个工作日？" },
	{ "收费标准", "请问办理", "收费吗？如果收费，可以用微信或支付宝缴费吗？" },
};

/* Questions for a department whose name contains one of the keywords
 * (alternatives separated by '|'). */
typedef struct dept_question {
	const char *keyword, *subject, *body;
} dept_question;

static const dept_question dept_questions[] = {
	{ "市场", "营业执照经营范围变更",
	  "我在道里区开了一家小超市，现在想增加预包装食品销售，营业执照的经营范围怎么变更？需要本人到现场吗？" },
	{ "市场", "食品经营许可证延续",
	  "店里的食品经营许可证下个月到期，延续申请最晚什么时候提交？网上能办吗？" },
	{ "市场", "企业名称自主申报",
	  "新注册公司的名称在网上自主申报时一直提示近似，请问怎么处理？" },
	{ "公安", "身份证丢失补办",
	  "身份证丢了，补办需要多长时间？补办期间能先办临时身份证吗？" },
	{ "公安", "居住证办理条件",
	  "外地户口在哈尔滨租房，办居住证需要居住满多久？租房合同需要备案吗？" },
	{ "公安", "新生儿落户",
	  "孩子刚出生，落户需要准备哪些材料？父亲的户口在外省可以落在母亲这边吗？" },
	{ "人社|人力资源", "灵活就业养老保险缴费",
	  "我是灵活就业人员，养老保险可以在APP上缴费吗？今年的缴费基数什么时候公布？" },
	{ "人社|人力资源", "失业保险金申领",
	  "公司和我解除了劳动合同，失业保险金怎么申请？需要带离职证明去窗口吗？" },
	{ "人社|社会保障", "社保卡补换",
	  "社保卡芯片坏了，补换新卡要多久？旧卡里的钱会不会丢？" },
	{ "医保|医疗保障", "异地就医备案",
	  "父母冬天在海南住半年，异地就医备案怎么办理？备案后门诊能直接结算吗？" },
	{ "税务", "个体户发票申领",
	  "个体工商户第一次申领发票需要带什么？可以网上申领邮寄到家吗？" },
	{ "不动产", "二手房转移登记",
	  "买二手房办理不动产转移登记，买卖双方需要同时到场吗？大概几个工作日能拿证？" },
	{ "自然资源", "不动产权证书遗失补发",
	  "不动产权证书丢失了，补发需要登报声明吗？需要多长时间？" },
	{ "公积金|住房", "租房提取公积金",
	  "租房提取住房公积金一年能提几次？需要房东提供什么材料？" },
	{ "住建|住房", "商品房预售资金",
	  "买的期房迟迟不交房，想了解预售资金监管账户的情况，应该向哪个部门反映？" },
	{ "民政", "结婚登记预约",
	  "结婚登记需要提前预约吗？户口本在老家，只带身份证可以办理吗？" },
	{ "交通", "网约车驾驶员证",
	  "办理网络预约出租汽车驾驶员证需要考试吗？在哪里报名？" },
	{ "卫健|卫生", "出生医学证明补办",
	  "孩子的出生医学证明原件丢了，在哪里补办？需要带哪些材料？" },
	{ "教育", "小学入学登记",
	  "孩子今年上小学，户口迁入学区刚满半年，能在学区内入学吗？网上登记什么时候开始？" },
	{ "文化", "营业性演出审批",
	  "酒吧想请乐队驻场演出，需要办理营业性演出许可吗？办理要多长时间？" },
};

/* Questions any department gets. */
static const dept_question general_questions[] = {
	{ "", "周末是否办公", "请问政务服务大厅周六周日是否办公？法定节假日有没有值班窗口？" },
	{ "", "办件进度查询", "我在网上提交的申请显示已受理，但一直没有进度更新，请问在哪里查询办理进度？" },
	{ "", "网上预约取号", "能否通过e冰城APP提前预约取号？预约后需要提前多久到大厅？" },
	{ "", "证照邮寄", "办好的证照可以邮寄到家吗？邮费由谁承担？" },
	{ "", "大厅停车", "政务服务大厅附近有没有停车场？办事期间停车收费吗？" },
};

static const char *const good_comments[] = {
	"办事效率高，一次就办好了", "窗口工作人员很耐心，讲得很清楚", "网上提交很方便，不用来回跑",
	"比承诺时间快，点赞", "服务热情，流程清楚", "一次告知很到位，没有多跑",
};
static const char *const fair_comments[] = {
	"办理还算顺利，就是排队时间有点长", "材料清单网上写得不够清楚", "总体可以，电话不太好打通",
};
static const char *const bad_comments[] = {
	"等了很久一直没人受理，电话也打不通", "材料要求前后说法不一致，跑了两趟", "工作人员态度冷淡，问什么都说不知道",
	"网上说能全程网办，最后还是让到现场", "退回补正没有一次说清楚，又被退回一次", "超过承诺时限了也没有人通知",
};

/* ---- the catalogue ---------------------------------------------------- */

typedef struct sim_item {
	char *code, *name, *dept;
} sim_item;

typedef struct sim_dept {
	char *code, *name;
	size_t first, n; /* its items: items[first .. first+n) */
} sim_dept;

typedef struct sim {
	ctl_ctx *c;
	uint64_t seed;
	long weights[ACT_N];
	long total_weight;
	int as_portal;        /* SET LOCAL ROLE hall_portal for each action */
	int as_trainer;       /* through the trainer's hall.demo_* wrappers */
	sim_item *items;      /* ordered by department, code */
	size_t n_items;
	sim_dept *depts;      /* ordered by code */
	size_t n_depts;
	long done[ACT_N];
	long stood_in, failed, actions;
	int fail_streak;
} sim;

static void sim_free(sim *s)
{
	for (size_t i = 0; i < s->n_items; i++) {
		free(s->items[i].code);
		free(s->items[i].name);
		free(s->items[i].dept);
	}
	for (size_t i = 0; i < s->n_depts; i++) {
		free(s->depts[i].code);
		free(s->depts[i].name);
	}
	free(s->items);
	free(s->depts);
}

/* Items some window serves (submit refuses the others), and departments. */
static int load_catalogue(sim *s, char *err, size_t errlen)
{
	PGresult *res;

	res = db_exec(s->c->pg,
		"SELECT i.code, i.name, i.department_code FROM hall.items i"
		" WHERE EXISTS (SELECT 1 FROM hall.window_items w WHERE w.item_id = i.id)"
		" ORDER BY i.department_code, i.code",
		0, NULL, err, errlen);
	if (!res)
		return -1;
	s->n_items = (size_t)PQntuples(res);
	s->items = x_calloc(s->n_items ? s->n_items : 1, sizeof *s->items);
	for (size_t i = 0; i < s->n_items; i++) {
		s->items[i].code = x_strdup(PQgetvalue(res, (int)i, 0));
		s->items[i].name = x_strdup(PQgetvalue(res, (int)i, 1));
		s->items[i].dept = x_strdup(PQgetvalue(res, (int)i, 2));
	}
	PQclear(res);

	res = db_exec(s->c->pg, "SELECT code, name FROM hall.departments ORDER BY code", 0, NULL, err, errlen);
	if (!res)
		return -1;
	s->n_depts = (size_t)PQntuples(res);
	s->depts = x_calloc(s->n_depts ? s->n_depts : 1, sizeof *s->depts);
	for (size_t d = 0; d < s->n_depts; d++) {
		sim_dept *dp = &s->depts[d];

		dp->code = x_strdup(PQgetvalue(res, (int)d, 0));
		dp->name = x_strdup(PQgetvalue(res, (int)d, 1));
		for (dp->first = 0; dp->first < s->n_items && strcmp(s->items[dp->first].dept, dp->code) != 0;
		     dp->first++)
			;
		for (dp->n = 0; dp->first + dp->n < s->n_items && strcmp(s->items[dp->first + dp->n].dept, dp->code) == 0;
		     dp->n++)
			;
	}
	PQclear(res);
	return 0;
}

/* ---- running one action ----------------------------------------------- */

enum { ACT_OK = 0, ACT_NOTHING = 1, ACT_FAILED = -1, ACT_LOST = -2 };

/* A failed statement: report it; tell a lost connection from a refusal. */
static int action_failed(sim *s, const char *what, const char *err)
{
	if (PQstatus(s->c->pg) == CONNECTION_BAD) {
		ctl_error(s->c, _("simulate: connection lost: %s"), err);
		return ACT_LOST;
	}
	ctl_error(s->c, _("simulate: %s failed: %s"), what, err);
	return ACT_FAILED;
}

/* One portal action in its own transaction: hall.<fn><args> as
 * hall_portal when we can SET ROLE to it, or hall.demo_<fn><args> (the
 * trainer's wrappers of 012, which answer on a demo database only) when we
 * are a trainer.  Returns the result, or NULL with the reason in err
 * (rolled back). */
static PGresult *portal_call(sim *s, const char *fn, const char *args, int n, const char *const *params,
                             char *err, size_t errlen)
{
	PGconn *pg = s->c->pg;
	PGresult *res = NULL;
	char ignored[256];
	char *sql = x_asprintf("SELECT hall.%s%s%s", s->as_trainer ? "demo_" : "", fn, args);

	if (db_command(pg, "BEGIN", 0, NULL, err, errlen) < 0)
		goto out;
	if (s->as_portal && db_command(pg, "SET LOCAL ROLE hall_portal", 0, NULL, err, errlen) < 0)
		goto fail;
	res = db_exec(pg, sql, n, params, err, errlen);
	if (!res)
		goto fail;
	if (db_command(pg, "COMMIT", 0, NULL, err, errlen) < 0) {
		PQclear(res);
		res = NULL;
	}
	goto out;
fail:
	if (PQstatus(pg) != CONNECTION_BAD)
		db_command(pg, "ROLLBACK", 0, NULL, ignored, sizeof ignored);
out:
	free(sql);
	return res;
}

/* One line of output, flushed at once (a trainer may pipe it through tee).
 * Whatever the database holds goes through text_sanitize; c3 may be NULL
 * when the format has two conversions. */
static void print_line(const char *fmt_translated, const char *a, const char *b, const char *c3)
{
	char *sa = text_sanitize(a, 0), *sb = text_sanitize(b, 0), *sc = text_sanitize(c3, 0);

	printf(fmt_translated, sa, sb, sc);
	fflush(stdout);
	free(sa);
	free(sb);
	free(sc);
}

static int is_entity_item(const char *name)
{
	for (size_t k = 0; k < sizeof entity_words / sizeof entity_words[0]; k++)
		if (strstr(name, entity_words[k]))
			return 1;
	return 0;
}

/* A ticket (取号) for the item's business line, as a citizen at the hall
 * takes one: 5% through the green channel, the rest at the kiosk, with the
 * phone the rating SMS goes to.  0 and the label, or -1: no line serves
 * the item (a database without lines), or the portal refused (said). */
static int take_ticket(sim *s, rng *r, const sim_item *it, const char *phone, char *label, size_t labellen)
{
	char err[1024];
	const char *params[3];
	PGresult *res;
	char line[16];

	params[0] = it->code;
	res = db_exec(s->c->pg,
		"SELECT l.line_code FROM hall.line_items l JOIN hall.items i ON i.id = l.item_id"
		" WHERE i.code = $1 ORDER BY 1 LIMIT 1", 1, params, err, sizeof err);
	if (!res || PQntuples(res) != 1) {
		PQclear(res);
		return -1;
	}
	snprintf(line, sizeof line, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	params[0] = line;
	params[1] = rng_chance(r, 5) ? "green" : "kiosk";
	params[2] = phone;
	res = portal_call(s, "take_ticket", "($1, $2, NULL, $3)", 3, params, err, sizeof err);
	if (!res) {
		ctl_error(s->c, _("simulate: taking a ticket for %s failed: %s"), it->code, err);
		return -1;
	}
	snprintf(label, labellen, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	return 0;
}

static int act_submit(sim *s, rng *r)
{
	/* About the seed city's mix (77% filed online, doc/demo in
	 * schema/demo/demo.sql): any item may be filed online; an item that is
	 * not "online" only has its result collected at the hall. */
	static const char *const channels[] = { "web", "web", "web", "web", "web", "app", "app", "app", "app",
	                                        "window", "window", "kiosk" };
	const sim_item *it = &s->items[rng_below(r, (unsigned)s->n_items)];
	const char *channel = PICK(r, channels);
	citizen p;
	char err[1024], idbuf[32];
	const char *params[6];
	PGresult *res;
	int rc;

	make_citizen(r, is_entity_item(it->name) && rng_chance(r, 70), &p);
	params[0] = it->code;
	params[1] = p.kind;
	params[2] = p.name;
	params[3] = p.id;
	params[4] = p.phone;
	params[5] = channel;
	res = portal_call(s, "submit",
		"($1, jsonb_build_object('kind', $2::text, 'name', $3::text,"
		" 'id_number', $4::text, 'phone', $5::text), $6)",
		6, params, err, sizeof err);
	if (!res) {
		char *what = x_asprintf(_("submitting %s"), it->code);
		rc = action_failed(s, what, err);
		free(what);
		return rc;
	}
	snprintf(idbuf, sizeof idbuf, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	params[0] = idbuf;
	res = db_exec(s->c->pg, "SELECT case_no FROM hall.applications WHERE id = $1::bigint", 1, params,
	              err, sizeof err);
	if (!res || PQntuples(res) != 1) {
		if (res)
			snprintf(err, sizeof err, _("case #%s has gone (a demo reset?)"), idbuf);
		PQclear(res);
		return action_failed(s, _("reading the new case"), err);
	}
	if (strcmp(channel, "window") == 0 || strcmp(channel, "kiosk") == 0) {
		/* At the hall: the applicant took a number first (schema/023). */
		char label[32];
		char *what;

		if (take_ticket(s, r, it, p.phone, label, sizeof label) == 0) {
			what = x_asprintf(_("%s, ticket %s"), it->name, label);
			print_line(_("submitted %s %s (%s)\n"), PQgetvalue(res, 0, 0), what, channel);
			free(what);
			PQclear(res);
			return ACT_OK;
		}
	}
	print_line(_("submitted %s %s (%s)\n"), PQgetvalue(res, 0, 0), it->name, channel);
	PQclear(res);
	return ACT_OK;
}

/* Does name contain one of the '|'-separated keywords? */
static int name_has_keyword(const char *name, const char *keywords)
{
	char *copy = x_strdup(keywords), *save = NULL;
	int found = 0;

	for (char *k = strtok_r(copy, "|", &save); k && !found; k = strtok_r(NULL, "|", &save))
		found = strstr(name, k) != NULL;
	free(copy);
	return found;
}

static int act_ask(sim *s, rng *r)
{
	static const char *const channels[] = { "web", "web", "web", "web", "app", "app", "app", "hotline",
	                                        "hotline", "hotline" };
	const sim_dept *d = &s->depts[rng_below(r, (unsigned)s->n_depts)];
	const char *channel = PICK(r, channels);
	const dept_question *match[sizeof dept_questions / sizeof dept_questions[0]];
	size_t n_match = 0;
	unsigned roll = rng_below(r, 100);
	char *subject, *body;
	citizen p;
	char err[1024], idbuf[32];
	const char *params[6];
	PGresult *res;
	int rc;

	for (size_t k = 0; k < sizeof dept_questions / sizeof dept_questions[0]; k++)
		if (name_has_keyword(d->name, dept_questions[k].keyword))
			match[n_match++] = &dept_questions[k];
	if (d->n > 0 && (roll < 50 || (roll < 80 && n_match == 0))) {
		const sim_item *it = &s->items[d->first + rng_below(r, (unsigned)d->n)];
		const item_question *q = &PICK(r, item_questions);

		subject = x_asprintf("「%s」%s", it->name, q->subject_suffix);
		body = x_asprintf("%s「%s」%s", q->body_prefix, it->name, q->body_suffix);
	} else {
		const dept_question *q = roll < 80 && n_match > 0 ? match[rng_below(r, (unsigned)n_match)]
		                                                  : &PICK(r, general_questions);
		subject = x_strdup(q->subject);
		body = x_strdup(q->body);
	}
	make_citizen(r, 0, &p);
	if (strcmp(channel, "hotline") != 0 && rng_chance(r, 15))
		p.name[0] = '\0'; /* anonymous: the database says 匿名 */

	params[0] = channel;
	params[1] = d->code;
	params[2] = p.name;
	params[3] = p.phone;
	params[4] = subject;
	params[5] = body;
	res = portal_call(s, "ask",
		"($1, $2, jsonb_build_object('name', $3::text, 'phone', $4::text), $5, $6)",
		6, params, err, sizeof err);
	if (!res) {
		char *what = x_asprintf(_("asking %s"), d->code);
		rc = action_failed(s, what, err);
		free(what);
		goto out;
	}
	snprintf(idbuf, sizeof idbuf, "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	params[0] = idbuf;
	res = db_exec(s->c->pg, "SELECT ref FROM hall.inquiries WHERE id = $1::bigint", 1, params, err, sizeof err);
	if (!res || PQntuples(res) != 1) {
		if (res)
			snprintf(err, sizeof err, _("inquiry #%s has gone (a demo reset?)"), idbuf);
		PQclear(res);
		rc = action_failed(s, _("reading the new inquiry"), err);
		goto out;
	}
	{
		char *ref = text_sanitize(PQgetvalue(res, 0, 0), 0);
		char *dept = text_sanitize(d->name, 0);
		char *subj = text_sanitize(subject, 0);

		printf(_("asked %s %s: %s (%s)\n"), ref, dept, subj, channel);
		fflush(stdout);
		free(ref);
		free(dept);
		free(subj);
	}
	PQclear(res);
	rc = ACT_OK;
out:
	free(subject);
	free(body);
	return rc;
}

/* Find a case to act on: the first one matching `where` (a constant
 * condition on `a`, hall.applications) from a random starting id, wrapping
 * around, so identical databases give the same case.  Columns: id,
 * case_no, item name.  NULL: nothing matches (*rc = ACT_NOTHING) or an
 * error (*rc set, reported). */
static PGresult *find_case(sim *s, rng *r, const char *where, int *rc)
{
	char err[1024], pick[32];
	const char *params[1] = { pick };
	char *sql;
	PGresult *res;

	snprintf(pick, sizeof pick, "%llu", (unsigned long long)(rng_next(r) >> 2));
	sql = x_asprintf(
		"WITH p AS (SELECT 1 + $1::bigint %% greatest(max(id), 1) AS pivot FROM hall.applications)"
		" (SELECT a.id, a.case_no, i.name FROM hall.applications a JOIN hall.items i ON i.id = a.item_id"
		"  WHERE %s AND a.id >= (SELECT pivot FROM p) ORDER BY a.id LIMIT 1)"
		" UNION ALL"
		" (SELECT a.id, a.case_no, i.name FROM hall.applications a JOIN hall.items i ON i.id = a.item_id"
		"  WHERE %s ORDER BY a.id LIMIT 1)"
		" LIMIT 1",
		where, where);
	res = db_exec(s->c->pg, sql, 1, params, err, sizeof err);
	free(sql);
	if (!res) {
		*rc = action_failed(s, _("looking for a case"), err);
		return NULL;
	}
	if (PQntuples(res) == 0) {
		PQclear(res);
		*rc = ACT_NOTHING;
		return NULL;
	}
	return res;
}

/* The applicant brings everything the last return named (its one-time
 * notice), or, if it named only defects, the corrected application. */
static int act_resubmit(sim *s, rng *r)
{
	char err[1024];
	const char *params[2];
	PGresult *found, *mats, *res;
	int rc = ACT_OK;

	found = find_case(s, r, "a.state = 'returned'", &rc);
	if (!found)
		return rc;
	params[0] = PQgetvalue(found, 0, 0);
	mats = db_exec(s->c->pg,
		"SELECT coalesce(x.material_ids, '{}')::text,"
		"       coalesce((SELECT string_agg(m.name, '、' ORDER BY m.ord, m.id) FROM hall.materials m"
		"                 WHERE m.id = ANY (x.material_ids)), '')"
		"  FROM (SELECT 1) one"
		"  LEFT JOIN LATERAL (SELECT material_ids FROM hall.returns WHERE app_id = $1::bigint"
		"                     ORDER BY seq DESC LIMIT 1) x ON true",
		1, params, err, sizeof err);
	if (!mats) {
		rc = action_failed(s, _("reading a return"), err);
		goto out;
	}
	params[1] = PQgetvalue(mats, 0, 0);
	res = portal_call(s, "resubmit", "($1::bigint, $2::int[])", 2, params, err, sizeof err);
	if (!res) {
		char *what = x_asprintf(_("resubmitting %s"), PQgetvalue(found, 0, 1));
		rc = action_failed(s, what, err);
		free(what);
	} else {
		PQclear(res);
		if (*PQgetvalue(mats, 0, 1))
			print_line(_("resubmitted %s %s: %s\n"), PQgetvalue(found, 0, 1), PQgetvalue(found, 0, 2),
			           PQgetvalue(mats, 0, 1));
		else
			print_line(_("resubmitted %s %s (defects corrected)\n"), PQgetvalue(found, 0, 1),
			           PQgetvalue(found, 0, 2), NULL);
	}
	PQclear(mats);
out:
	PQclear(found);
	return rc;
}

/* Mostly satisfied; sometimes not, and then always with a reason. */
static int act_rate(sim *s, rng *r)
{
	char err[1024], level_s[4];
	const char *params[4];
	const char *comment = "";
	PGresult *found, *res;
	unsigned roll;
	int level, rc = ACT_OK;

	found = find_case(s, r,
		"a.state = 'completed' AND a.closed_by IS NOT NULL"
		" AND NOT EXISTS (SELECT 1 FROM hall.ratings x WHERE x.kind = 'application' AND x.target_id = a.id)",
		&rc);
	if (!found)
		return rc;
	roll = rng_below(r, 100);
	level = roll < 58 ? 5 : roll < 84 ? 4 : roll < 90 ? 3 : roll < 95 ? 2 : 1;
	if (level >= 4 && rng_chance(r, 30))
		comment = PICK(r, good_comments);
	else if (level == 3 && rng_chance(r, 50))
		comment = PICK(r, fair_comments);
	else if (level <= 2)
		comment = PICK(r, bad_comments);
	snprintf(level_s, sizeof level_s, "%d", level);
	params[0] = "application";
	params[1] = PQgetvalue(found, 0, 0);
	params[2] = level_s;
	params[3] = comment;
	res = portal_call(s, "rate", "($1, $2::bigint, $3::int, $4)", 4, params, err, sizeof err);
	if (!res) {
		char *what = x_asprintf(_("rating %s"), PQgetvalue(found, 0, 1));
		rc = action_failed(s, what, err);
		free(what);
	} else {
		char *no = text_sanitize(PQgetvalue(found, 0, 1), 0);
		char *item = text_sanitize(PQgetvalue(found, 0, 2), 0);

		PQclear(res);
		if (*comment)
			printf(_("rated %s %s: %d 「%s」\n"), no, item, level, comment);
		else
			printf(_("rated %s %s: %d\n"), no, item, level);
		fflush(stdout);
		free(no);
		free(item);
	}
	PQclear(found);
	return rc;
}

static int act_withdraw(sim *s, rng *r)
{
	char err[1024];
	const char *params[1];
	PGresult *found, *res;
	int rc = ACT_OK;

	found = find_case(s, r, "a.state IN ('submitted', 'returned')", &rc);
	if (!found)
		return rc;
	params[0] = PQgetvalue(found, 0, 0);
	res = portal_call(s, "withdraw", "($1::bigint)", 1, params, err, sizeof err);
	if (!res) {
		char *what = x_asprintf(_("withdrawing %s"), PQgetvalue(found, 0, 1));
		rc = action_failed(s, what, err);
		free(what);
	} else {
		PQclear(res);
		print_line(_("withdrew %s %s\n"), PQgetvalue(found, 0, 1), PQgetvalue(found, 0, 2), NULL);
	}
	PQclear(found);
	return rc;
}

/* Action number i: its kind from the mix, then the action; one with
 * nothing to act on submits a new case instead. */
static int run_action(sim *s, uint64_t i)
{
	rng r = rng_for(s->seed, i);
	long pick = (long)(rng_next(&r) % (uint64_t)s->total_weight);
	int kind = 0, rc;

	while (pick >= s->weights[kind]) {
		pick -= s->weights[kind];
		kind++;
	}
	switch (kind) {
	case ACT_ASK: rc = act_ask(s, &r); break;
	case ACT_RESUBMIT: rc = act_resubmit(s, &r); break;
	case ACT_RATE: rc = act_rate(s, &r); break;
	case ACT_WITHDRAW: rc = act_withdraw(s, &r); break;
	default: rc = act_submit(s, &r); break;
	}
	if (rc == ACT_NOTHING) {
		s->stood_in++;
		kind = ACT_SUBMIT;
		rc = act_submit(s, &r);
	}
	s->actions++;
	if (rc == ACT_OK) {
		s->done[kind]++;
		s->fail_streak = 0;
	} else {
		s->failed++;
		s->fail_streak++;
	}
	return rc;
}

/* ---- time and signals ------------------------------------------------- */

static volatile sig_atomic_t stop_requested;

/* The first SIGINT/SIGTERM lets the action in progress finish; a second
 * one (a database that does not answer) ends the program at once. */
static void on_stop(int sig)
{
	if (stop_requested) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	stop_requested = 1;
}

static int64_t ns_between(const struct timespec *from, const struct timespec *to)
{
	return (int64_t)(to->tv_sec - from->tv_sec) * 1000000000 + (to->tv_nsec - from->tv_nsec);
}

static struct timespec ts_add_ns(struct timespec t, int64_t ns)
{
	int64_t total = (int64_t)t.tv_nsec + ns % 1000000000;

	t.tv_sec += (time_t)(ns / 1000000000 + total / 1000000000);
	t.tv_nsec = (long)(total % 1000000000);
	if (t.tv_nsec < 0) {
		t.tv_nsec += 1000000000;
		t.tv_sec--;
	}
	return t;
}

/* Sleep until `until` (CLOCK_MONOTONIC) in short slices, so a stop request
 * is seen within a quarter of a second whenever it arrives. */
static void sleep_until(const struct timespec *until)
{
	struct timespec now, d;
	int64_t left;

	while (!stop_requested) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		left = ns_between(&now, until);
		if (left <= 0)
			return;
		if (left > SLEEP_SLICE_NS)
			left = SLEEP_SLICE_NS;
		d.tv_sec = (time_t)(left / 1000000000);
		d.tv_nsec = (long)(left % 1000000000);
		nanosleep(&d, NULL); /* EINTR: the loop looks at the flag */
	}
}

/* ---- the subcommand --------------------------------------------------- */

static void print_summary(const sim *s, double seconds, int stopped)
{
	fprintf(stderr, "%s: ", s->c->prog);
	fprintf(stderr, stopped ? _("simulate stopped: %ld actions in %.1f s (seed %llu): ")
	                        : _("simulate done: %ld actions in %.1f s (seed %llu): "),
	        s->actions, seconds, (unsigned long long)s->seed);
	fprintf(stderr, _("%ld submitted, %ld asked, %ld resubmitted, %ld rated, %ld withdrawn, %ld failed"),
	        s->done[ACT_SUBMIT], s->done[ACT_ASK], s->done[ACT_RESUBMIT], s->done[ACT_RATE],
	        s->done[ACT_WITHDRAW], s->failed);
	if (s->stood_in > 0)
		fprintf(stderr, _("; %ld submissions stood in for actions that found no case to act on"), s->stood_in);
	fputc('\n', stderr);
}

/* Refuses anything but a demo database; notes whether we may act as the
 * portal.  Returns CTL_OK or the exit status. */
static int check_database(sim *s)
{
	char err[1024];
	PGresult *res;
	int rc = CTL_OK;

	res = db_exec(s->c->pg,
		"SELECT hall.mode(), pg_has_role(current_user, 'hall_portal', 'MEMBER'),"
		"       pg_has_role(current_user, 'hall_trainer', 'MEMBER')",
		0, NULL, err, sizeof err);
	if (!res) {
		if (PQstatus(s->c->pg) == CONNECTION_BAD) {
			ctl_error(s->c, _("simulate: connection lost: %s"), err);
			return CTL_USAGE;
		}
		ctl_error(s->c, _("simulate refused: cannot read the database's mode (is it a hallterm database?): %s"),
		          err);
		return CTL_FAIL;
	}
	if (strcmp(PQgetvalue(res, 0, 0), "demo") != 0) {
		char *mode = text_sanitize(PQgetvalue(res, 0, 0), 0);

		ctl_error(s->c, _("simulate refused: this database's mode is '%s'; simulate runs only on a demo "
		                  "database (see hallctl demo)"), mode);
		free(mode);
		rc = CTL_FAIL;
	}
	/* The portal's own grants when we may act as hall_portal (the
	 * superuser may); else a trainer's wrappers; else nothing. */
	s->as_portal = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	s->as_trainer = !s->as_portal && strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	if (rc == CTL_OK && !s->as_portal && !s->as_trainer) {
		ctl_error(s->c, _("simulate refused: connect as a trainer (hall_trainer), a portal account "
		                  "(hall_portal) or the superuser"));
		rc = CTL_FAIL;
	}
	PQclear(res);
	if (rc != CTL_OK)
		return rc;

	if (load_catalogue(s, err, sizeof err) < 0) {
		ctl_error(s->c, _("simulate: cannot read the service items: %s"), err);
		return PQstatus(s->c->pg) == CONNECTION_BAD ? CTL_USAGE : CTL_FAIL;
	}
	if (s->n_items == 0 || s->n_depts == 0) {
		ctl_error(s->c, _("simulate refused: no service item is served by a window: run hallctl demo first"));
		return CTL_FAIL;
	}
	return CTL_OK;
}

int ctl_simulate(ctl_ctx *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rate", required_argument, NULL, 'r' },
		{ "count", required_argument, NULL, 'n' },
		{ "duration", required_argument, NULL, 'd' },
		{ "seed", required_argument, NULL, 's' },
		{ "mix", required_argument, NULL, 'm' },
		{ "profile", required_argument, NULL, 'p' },
		{ "minutes", required_argument, NULL, 'M' },
		{ NULL, 0, NULL, 0 },
	};
	sim s = { .c = c };
	long rate = 30, count = 0, duration = 0, minutes = 0;
	long p_rate = 0, p_minutes = 0, p_mix[ACT_N];
	const char *profile_name = NULL;
	int seeded = 0, ch, status = CTL_OK, rc, rate_given = 0, mix_given = 0;
	struct sigaction sa, old_int, old_term;
	struct timespec t0, now, next, end;
	int64_t interval = 0;
	char err[512];

	memcpy(s.weights, default_mix, sizeof s.weights);
	optind = 0;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:", opts, NULL)) != -1) {
		switch (ch) {
		case 'r':
			if (parse_long(optarg, 0, RATE_MAX, &rate) < 0) {
				ctl_error(c, _("--rate: expected actions per minute from 0 to %d (0: as fast as possible), "
				               "got \"%s\""), RATE_MAX, optarg);
				return CTL_USAGE;
			}
			rate_given = 1;
			break;
		case 'p':
			profile_name = optarg;
			break;
		case 'M':
			if (parse_long(optarg, 1, DURATION_MAX / 60, &minutes) < 0) {
				ctl_error(c, _("--minutes: expected minutes from 1 to %ld, got \"%s\""), DURATION_MAX / 60, optarg);
				return CTL_USAGE;
			}
			break;
		case 'n':
			if (parse_long(optarg, 1, COUNT_MAX, &count) < 0) {
				ctl_error(c, _("--count: expected a number of actions from 1 to %ld, got \"%s\""),
				          COUNT_MAX, optarg);
				return CTL_USAGE;
			}
			break;
		case 'd':
			if (parse_long(optarg, 1, DURATION_MAX, &duration) < 0) {
				ctl_error(c, _("--duration: expected seconds from 1 to %ld, got \"%s\""), DURATION_MAX, optarg);
				return CTL_USAGE;
			}
			break;
		case 's':
			if (parse_u64(optarg, &s.seed) < 0) {
				ctl_error(c, _("--seed: expected a whole number from 0 to 18446744073709551615, got \"%s\""),
				          optarg);
				return CTL_USAGE;
			}
			seeded = 1;
			break;
		case 'm':
			if (parse_mix(c, optarg, s.weights) < 0)
				return CTL_USAGE;
			mix_given = 1;
			break;
		case ':':
			ctl_error(c, _("simulate: option '%s' needs a value"), argv[optind - 1]);
			return CTL_USAGE;
		default:
			ctl_error(c, _("simulate: unknown option '%s' (see hallctl --help)"), argv[optind - 1]);
			return CTL_USAGE;
		}
	}
	if (optind < argc) {
		ctl_error(c, _("simulate: unexpected argument '%s'"), argv[optind]);
		return CTL_USAGE;
	}
	if (count && duration) {
		ctl_error(c, _("simulate: give --count or --duration, not both"));
		return CTL_USAGE;
	}
	if (minutes && (count || duration)) {
		ctl_error(c, _("simulate: give one of --count, --duration and --minutes"));
		return CTL_USAGE;
	}
	if (minutes)
		duration = minutes * 60;
	/* A profile sets what the options did not. */
	if (profile_name) {
		if (load_profile(c, profile_name, &p_rate, &p_minutes, p_mix) < 0)
			return CTL_USAGE;
		if (!rate_given)
			rate = p_rate;
		if (!mix_given)
			memcpy(s.weights, p_mix, sizeof s.weights);
		if (!count && !duration)
			duration = p_minutes * 60;
	}
	for (int k = 0; k < ACT_N; k++)
		s.total_weight += s.weights[k];
	if (!seeded) {
		struct timespec t;

		clock_gettime(CLOCK_REALTIME, &t);
		s.seed = mix64((uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec) ^ (uint64_t)getpid();
		s.seed %= 1000000000u; /* short enough to retype */
	}

	if (ctl_connect(c) < 0)
		return CTL_USAGE;
	status = check_database(&s);
	if (status != CTL_OK) {
		sim_free(&s);
		return status;
	}
	if (db_command(c->pg, "SET application_name = 'hallctl simulate'", 0, NULL, err, sizeof err) < 0) {
		/* Cosmetic: pg_stat_activity shows who is making the noise. */
	}

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = 0; /* no SA_RESTART: nanosleep returns at once */
	stop_requested = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);

	fprintf(stderr, "%s: ", c->prog);
	if (rate > 0)
		fprintf(stderr, _("simulating the public on a demo database: %ld actions a minute, seed %llu; "
		                  "Ctrl-C stops\n"), rate, (unsigned long long)s.seed);
	else
		fprintf(stderr, _("simulating the public on a demo database as fast as possible, seed %llu; "
		                  "Ctrl-C stops\n"), (unsigned long long)s.seed);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	next = t0;
	end = ts_add_ns(t0, (int64_t)duration * 1000000000);
	if (rate > 0)
		interval = (int64_t)60 * 1000000000 / rate;

	for (uint64_t i = 0; !stop_requested; i++) {
		if (count && i >= (uint64_t)count)
			break;
		if (i > 0 && interval > 0) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			next = ts_add_ns(next, interval);
			/* Fallen behind (a slow database): carry on from now
			 * rather than firing a burst to catch up. */
			if (ns_between(&next, &now) > interval)
				next = now;
			sleep_until(duration && ns_between(&end, &next) > 0 ? &end : &next);
			if (stop_requested)
				break;
		}
		if (duration) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			if (ns_between(&end, &now) >= 0)
				break;
		}
		rc = run_action(&s, i);
		if (rc == ACT_LOST) {
			status = CTL_USAGE;
			break;
		}
		if (s.fail_streak >= MAX_FAIL_STREAK) {
			ctl_error(c, _("simulate: stopping: %d actions in a row failed"), MAX_FAIL_STREAK);
			status = CTL_FAIL;
			break;
		}
	}

	clock_gettime(CLOCK_MONOTONIC, &now);
	print_summary(&s, (double)ns_between(&t0, &now) / 1e9, stop_requested || status != CTL_OK);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sim_free(&s);
	return status;
}
