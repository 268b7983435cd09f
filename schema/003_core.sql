-- The core tables: who works where, what is served, who applied for what.
-- Only hall_admin (the owner) writes them; everybody else reads through
-- row-level security and changes them through the functions of
-- 005_transitions.sql.
SET LOCAL ROLE hall_admin;

CREATE FUNCTION hall.mask_id(s text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE
		WHEN s IS NULL OR s = '' THEN ''
		WHEN length(s) >= 15 THEN left(s, 6) || repeat('*', length(s) - 10) || right(s, 4)
		WHEN length(s) >= 6 THEN left(s, 2) || repeat('*', length(s) - 4) || right(s, 2)
		ELSE repeat('*', length(s))
	END
$$;

CREATE FUNCTION hall.mask_phone(s text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = pg_catalog, pg_temp
AS $$
	SELECT CASE
		WHEN s IS NULL OR s = '' THEN ''
		WHEN length(s) >= 11 THEN left(s, 3) || repeat('*', length(s) - 7) || right(s, 4)
		WHEN length(s) >= 5 THEN left(s, 1) || repeat('*', length(s) - 3) || right(s, 2)
		ELSE repeat('*', length(s))
	END
$$;

CREATE TABLE hall.departments (
	code text PRIMARY KEY,
	name text NOT NULL
);

CREATE TABLE hall.windows (
	code            text PRIMARY KEY,
	name            text NOT NULL,
	department_code text NOT NULL REFERENCES hall.departments
);

-- 事项: a kind of service, with its promised time limit in working days.
CREATE TABLE hall.items (
	id              int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	code            text NOT NULL UNIQUE,
	name            text NOT NULL,
	department_code text NOT NULL REFERENCES hall.departments,
	category        text NOT NULL,
	promised_days   int NOT NULL CHECK (promised_days BETWEEN 1 AND 60),
	legal_days      int NOT NULL DEFAULT 20 CHECK (legal_days BETWEEN 1 AND 120),
	online          boolean NOT NULL DEFAULT true,
	-- The initials of the name's pinyin, lower case ("yyzzbgdj" for
	-- 营业执照变更登记): the front desk finds an item by them (020).
	initials        text NOT NULL DEFAULT '' CHECK (initials ~ '^[a-z0-9]*$')
);

-- The item's material list: what a one-time notice may name.
CREATE TABLE hall.materials (
	id       int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	item_id  int NOT NULL REFERENCES hall.items,
	name     text NOT NULL,
	required boolean NOT NULL DEFAULT true,
	ord      int NOT NULL DEFAULT 0
);
CREATE INDEX materials_item ON hall.materials (item_id, ord);

CREATE TABLE hall.window_items (
	window_code text NOT NULL REFERENCES hall.windows,
	item_id     int NOT NULL REFERENCES hall.items,
	PRIMARY KEY (window_code, item_id)
);
CREATE INDEX window_items_item ON hall.window_items (item_id);

-- Staff log in as their own PostgreSQL role, named by login.
CREATE TABLE hall.staff (
	id              int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	login           name NOT NULL UNIQUE,
	name            text NOT NULL,
	kind            text NOT NULL CHECK (kind IN ('clerk', 'supervisor', 'trainer', 'director', 'admin')),
	department_code text REFERENCES hall.departments,
	active          boolean NOT NULL DEFAULT true,
	created_at      timestamptz NOT NULL DEFAULT pg_catalog.now()
);

CREATE TABLE hall.staff_windows (
	staff_id    int NOT NULL REFERENCES hall.staff,
	window_code text NOT NULL REFERENCES hall.windows,
	PRIMARY KEY (staff_id, window_code)
);
CREATE INDEX staff_windows_window ON hall.staff_windows (window_code);

-- 申请人.  The full numbers stay here; everybody but hall.reveal() reads
-- the masked columns.
CREATE TABLE hall.applicants (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind         text NOT NULL CHECK (kind IN ('person', 'entity')),
	name         text NOT NULL,
	id_number    text NOT NULL,
	phone        text NOT NULL DEFAULT '',
	legal_rep    text NOT NULL DEFAULT '',    -- an entity's legal representative (法定代表人), 020
	id_masked    text GENERATED ALWAYS AS (hall.mask_id(id_number)) STORED,
	phone_masked text GENERATED ALWAYS AS (hall.mask_phone(phone)) STORED
);
CREATE INDEX applicants_name ON hall.applicants (name text_pattern_ops);
CREATE INDEX applicants_id_number ON hall.applicants (id_number);

-- Case numbers are read aloud at the counter: date and a daily sequence,
-- "250930-0042".
CREATE TABLE hall.case_counters (
	day date PRIMARY KEY,
	n   int NOT NULL
);

-- 办件.  The due date is derived, never typed: see hall.compute_due().
--   accept_due   receipt + accept_days working days (§32)
--   clock_start  the acceptance date, or the receipt date when claimed late
--   due_date     clock_start + promised_days + extension_days + paused_days
--   sort_due     the queue's order: the date that matters now ('infinity'
--                while the clock is paused or the case is closed)
--   queue_rank   before sort_due in the queue's order: 0 for the green
--                channel (绿色通道: green_channel says why), 1 otherwise
--   accept_paused  working days spent returned before acceptance (a case
--                received at the window as 材料不全, 020): they move
--                accept_due, and count in the clock only when it starts at
--                receipt (see hall.clock_paused_days, 005)
-- (Who received a case at the window, under which situation, and who filed
-- it online for the applicant (帮办) are in hall.receptions, 020.)
CREATE TABLE hall.applications (
	id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	case_no           text NOT NULL UNIQUE,
	item_id           int NOT NULL REFERENCES hall.items,
	applicant_id      bigint NOT NULL REFERENCES hall.applicants,
	department_code   text NOT NULL REFERENCES hall.departments,
	window_code       text NOT NULL REFERENCES hall.windows,
	channel           text NOT NULL CHECK (channel IN ('window', 'web', 'app', 'kiosk')),
	state             text NOT NULL CHECK (state IN ('submitted', 'in_review', 'returned', 'escalated',
	                                                 'completed', 'rejected', 'withdrawn', 'terminated')),
	received_at       timestamptz NOT NULL,
	received_on       date NOT NULL,
	accept_due        date NOT NULL,
	accepted_on       date,
	clock_start       date,
	promised_days     int NOT NULL,
	extension_days    int NOT NULL DEFAULT 0,
	paused_days       int NOT NULL DEFAULT 0,
	accept_paused     int NOT NULL DEFAULT 0 CHECK (accept_paused >= 0),
	returned_on       date,
	due_date          date,
	sort_due          date NOT NULL,
	claimed_by        int REFERENCES hall.staff,
	claimed_at        timestamptz,
	escalated_at      timestamptz,
	escalation_reason text,
	escalation_due    date,
	return_count      int NOT NULL DEFAULT 0,
	closed_at         timestamptz,
	closed_by         int REFERENCES hall.staff,
	decision_note     text,
	updated_at        timestamptz NOT NULL,
	queue_rank        smallint NOT NULL DEFAULT 1 CHECK (queue_rank IN (0, 1)),
	green_channel     text CHECK (green_channel IN ('elderly', 'disabled', 'pregnant')),
	CHECK ((state = 'in_review') <= (claimed_by IS NOT NULL)),
	CHECK ((queue_rank = 0) = (green_channel IS NOT NULL))
);
-- The queue of one window, green channel first, then most urgent first,
-- keyset-paginated on (queue_rank, sort_due, id): an index scan at any size.
CREATE INDEX applications_queue ON hall.applications (window_code, queue_rank, sort_due, id)
	WHERE state IN ('submitted', 'in_review', 'returned', 'escalated');
CREATE INDEX applications_claimable ON hall.applications (window_code, queue_rank, sort_due, id)
	WHERE state = 'submitted';
CREATE INDEX applications_department_open ON hall.applications (department_code, sort_due, id)
	WHERE state IN ('submitted', 'in_review', 'returned', 'escalated');
-- With the window and the department: the row-level-security probe of
-- hall.applicants ("a case of theirs that the caller may see", 004) is
-- then answered from the index alone, not by a heap page per case of the
-- applicant on every queue page.
CREATE INDEX applications_applicant ON hall.applications (applicant_id, window_code, department_code);
-- Who holds which open case (disabling a clerk, the scorecard's and the
-- timeliness figures' "holds a case"): every reader asks for the held
-- states.  Closed cases keep their claimed_by but stay out: an approval
-- then enters one index fewer (P1), and a clerk's figures for a month
-- cannot be drawn into a bitmap of every case the clerk ever claimed
-- (190,000 entries at 4M cases, 1.5 million at 32M: timeliness_items for
-- one clerk, doc/performance.md, P5).
CREATE INDEX applications_claimed_by ON hall.applications (claimed_by) WHERE state IN ('in_review', 'escalated');
CREATE INDEX applications_closed_by ON hall.applications (closed_by, closed_at) WHERE closed_by IS NOT NULL;

-- The state of each material of the item for one case.  A case received
-- at the window (020) also keeps the clerk's checklist mark: original
-- (原件已核验), copy (复印件), missing (缺), na (不适用), deferred (容缺:
-- status 'deferred' until supplied) or commitment (告知承诺: status
-- 'committed', a signed commitment in place of the proof).
CREATE TABLE hall.application_materials (
	app_id      bigint NOT NULL REFERENCES hall.applications,
	material_id int NOT NULL REFERENCES hall.materials,
	status      text NOT NULL CHECK (status IN ('submitted', 'missing', 'defective', 'resubmitted',
	                                            'deferred', 'committed', 'not_applicable')),
	mark        text CHECK (mark IN ('original', 'copy', 'missing', 'na', 'deferred', 'commitment')),
	updated_at  timestamptz NOT NULL,
	PRIMARY KEY (app_id, material_id)
);

-- Each return for correction, with its one-time notice.
CREATE TABLE hall.returns (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	app_id        bigint NOT NULL REFERENCES hall.applications,
	seq           int NOT NULL,
	material_ids  int[] NOT NULL DEFAULT '{}',
	defects       text NOT NULL DEFAULT '',
	notice        text NOT NULL,
	breach        boolean NOT NULL DEFAULT false,
	breach_reason text,
	staff_id      int NOT NULL REFERENCES hall.staff,
	returned_at   timestamptz NOT NULL,
	resubmitted_at timestamptz,
	UNIQUE (app_id, seq)
);
CREATE INDEX returns_breach ON hall.returns (staff_id) WHERE breach;

-- 延期: a clerk asks, a supervisor decides.
CREATE TABLE hall.extensions (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	app_id       bigint NOT NULL REFERENCES hall.applications,
	days         int NOT NULL CHECK (days > 0),
	reason       text NOT NULL,
	requested_by int NOT NULL REFERENCES hall.staff,
	requested_at timestamptz NOT NULL,
	state        text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'granted', 'refused')),
	decided_by   int REFERENCES hall.staff,
	decided_at   timestamptz,
	note         text
);
CREATE UNIQUE INDEX extensions_one_pending ON hall.extensions (app_id) WHERE state = 'pending';
-- The foreign key's side (a partial index serves no check of it): deleting
-- a case, which only the training room's reset does (022), otherwise
-- scans the extensions once a case (13.6 of a 23 s reset after P1 at 100k).
CREATE INDEX extensions_app ON hall.extensions (app_id);

-- The audit log: append-only for everybody (see the trigger below).  The
-- actor is session_user, kept as text: a name column takes 64 bytes in
-- every row (a quarter of an audit row; 4.1 million rows at 1M cases),
-- a login like clerk01 eight.
CREATE TABLE hall.audit (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at           timestamptz NOT NULL,
	actor        text NOT NULL CHECK (octet_length(actor) <= 63),   -- a role name's limit (NAMEDATALEN - 1)
	staff_id     int REFERENCES hall.staff,
	action       text NOT NULL,
	app_id       bigint,
	inquiry_id   bigint,
	rating_id    bigint,
	applicant_id bigint,
	from_state   text,
	to_state     text,
	note         text NOT NULL DEFAULT '',
	details      jsonb
);
CREATE INDEX audit_app ON hall.audit (app_id, id) WHERE app_id IS NOT NULL;
CREATE INDEX audit_inquiry ON hall.audit (inquiry_id, id) WHERE inquiry_id IS NOT NULL;
CREATE INDEX audit_rating ON hall.audit (rating_id, id) WHERE rating_id IS NOT NULL;
CREATE INDEX audit_staff ON hall.audit (staff_id, at) WHERE staff_id IS NOT NULL;   -- the portal's rows (44%) have none

-- 咨询: a question from the public with a reply deadline in working days.
CREATE TABLE hall.inquiries (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	ref             text NOT NULL UNIQUE,
	channel         text NOT NULL CHECK (channel IN ('web', 'app', 'hotline')),
	department_code text NOT NULL REFERENCES hall.departments,
	asker_name      text NOT NULL,
	asker_phone     text NOT NULL DEFAULT '',
	phone_masked    text GENERATED ALWAYS AS (hall.mask_phone(asker_phone)) STORED,
	subject         text NOT NULL,
	body            text NOT NULL,
	received_at     timestamptz NOT NULL,
	received_on     date NOT NULL,
	due_days        int NOT NULL,
	due_date        date NOT NULL,
	state           text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'answered')),
	answered_at     timestamptz,
	answered_by     int REFERENCES hall.staff,
	transfer_count  int NOT NULL DEFAULT 0,
	assigned_to     int REFERENCES hall.staff,   -- held by one clerk (a supervisor's hall.reassign_inquiry, 016)
	updated_at      timestamptz NOT NULL
);
CREATE INDEX inquiries_open ON hall.inquiries (department_code, due_date, id) WHERE state = 'open';
CREATE INDEX inquiries_answered_by ON hall.inquiries (answered_by, answered_at) WHERE answered_by IS NOT NULL;

-- 答复: kept in full, with who and when.
CREATE TABLE hall.replies (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	inquiry_id bigint NOT NULL REFERENCES hall.inquiries,
	staff_id   int NOT NULL REFERENCES hall.staff,
	body       text NOT NULL CHECK (length(btrim(body)) > 0),
	replied_at timestamptz NOT NULL,
	on_time    boolean NOT NULL
);
CREATE INDEX replies_inquiry ON hall.replies (inquiry_id);

-- 常用语: canned replies, for one department or (NULL) for all.
CREATE TABLE hall.canned_replies (
	id              int GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	department_code text REFERENCES hall.departments,
	title           text NOT NULL,
	body            text NOT NULL
);

-- 好差评: one rating per completed case or answered inquiry, tied to the
-- staff member who completed or answered it.
CREATE TABLE hall.ratings (
	id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind             text NOT NULL CHECK (kind IN ('application', 'inquiry')),
	target_id        bigint NOT NULL,
	staff_id         int NOT NULL REFERENCES hall.staff,
	department_code  text NOT NULL REFERENCES hall.departments,
	level            int NOT NULL CHECK (level BETWEEN 1 AND 5),
	comment          text NOT NULL DEFAULT '',
	proactive        boolean NOT NULL DEFAULT true,
	rated_at         timestamptz NOT NULL,
	counts           boolean NOT NULL DEFAULT true,
	appeal_state     text CHECK (appeal_state IN ('pending', 'upheld', 'dismissed')),
	appeal_reason    text,
	appeal_at        timestamptz,
	appeal_note      text,
	appeal_judged_by int REFERENCES hall.staff,
	appeal_judged_at timestamptz,
	followup_level   int CHECK (followup_level BETWEEN 1 AND 5),
	followup_comment text,
	followup_at      timestamptz,
	UNIQUE (kind, target_id)
);
CREATE INDEX ratings_staff ON hall.ratings (staff_id, rated_at);
CREATE INDEX ratings_department ON hall.ratings (department_code, rated_at);

-- A bad rating's verification, rectification and callback.
CREATE TABLE hall.rectifications (
	rating_id     bigint PRIMARY KEY REFERENCES hall.ratings,
	opened_at     timestamptz NOT NULL,
	callback_due  date NOT NULL,
	rectify_due   date NOT NULL,
	verified_at   timestamptz,
	verified_by   int REFERENCES hall.staff,
	verify_note   text,
	rectified_at  timestamptz,
	rectified_by  int REFERENCES hall.staff,
	rectify_note  text,
	callback_at   timestamptz,
	callback_by   int REFERENCES hall.staff,
	callback_note text,
	closed_at     timestamptz
);
CREATE INDEX rectifications_open ON hall.rectifications (rectify_due) WHERE closed_at IS NULL;

-- Notifications, written in the transition's own transaction and
-- delivered by `hallctl notify`.  The payload is built here, as JSON.
CREATE TABLE hall.outbox (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	key         uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(),
	created_at  timestamptz NOT NULL,
	event       text NOT NULL,
	recipient   text NOT NULL CHECK (recipient IN ('applicant', '12345', 'staff')),   -- staff: a card (017)
	app_id      bigint REFERENCES hall.applications,
	inquiry_id  bigint REFERENCES hall.inquiries,
	payload     jsonb NOT NULL,
	state       text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
	not_before  timestamptz NOT NULL,
	attempts    int NOT NULL DEFAULT 0,
	lease_until timestamptz,
	leased_by   text,
	last_error  text,
	http_status int,
	response    text,
	sent_at     timestamptz
);
CREATE INDEX outbox_due ON hall.outbox (not_before, id) WHERE state IN ('pending', 'sending');
CREATE INDEX outbox_failed ON hall.outbox (id) WHERE state = 'failed';
-- The foreign keys' own side: deleting a case or an inquiry checks that no
-- message names it, a sequential scan of the outbox each without these.
-- Only the training room deletes them (hall.demo_reset, 022): after P1's
-- 14,000 cycles on a 100k demo its reset took 57 s, 55 of them deleting
-- the cases P1 had added.
CREATE INDEX outbox_app ON hall.outbox (app_id) WHERE app_id IS NOT NULL;
CREATE INDEX outbox_inquiry ON hall.outbox (inquiry_id) WHERE inquiry_id IS NOT NULL;
