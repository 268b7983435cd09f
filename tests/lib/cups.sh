#!/usr/bin/env bash
# A private CUPS server on loopback, for the printing tests.  Source this
# file, then:
#
#   cups_start DIR PORT   start cupsd with its configuration, spool, logs
#                         and state all in DIR, listening on 127.0.0.1:PORT
#                         only; add the queue "hallprn" that writes each
#                         job to DIR/out/hallprn.txt; export
#                         CUPS_SERVER=127.0.0.1:PORT so lp, lpstat and
#                         lpadmin talk to it.  Returns 0 when it is ready,
#                         2 when cupsd can't run here (CUPS_SKIP says why;
#                         print a TAP skip), 1 on any other failure.
#   cups_stop             stop it (SIGTERM, then SIGKILL after 10 s)
#   cups_temp PORT        cups_start in a new /tmp directory, stopped and
#                         removed when the calling shell exits, whatever
#                         the reason (its own EXIT trap)
#   cups_wait_job JOB [SECONDS]
#                         wait until JOB (e.g. hallprn-3) has ended (20 s
#                         by default); fails unless it completed
#   cups_clear_output     empty DIR/out/hallprn.txt before the next job
#   cups_lpadmin ARGS...  lpadmin on the private server (e.g. -d hallprn)
#
# It never touches the machine's CUPS: nothing under /etc/cups, /run/cups
# or /var/spool/cups is read or written, it never listens on port 631 nor
# on a Unix socket, and it neither browses nor shares.
#
# As root (CI) cupsd runs as root and runs its filters as the "lp" user, as
# the system's cupsd does; as anybody else it runs as that user and so do
# its filters (CUPS's own test suite runs it that way).  Everything lives in
# a directory under /tmp owned by the user running cupsd, which is what
# Debian's AppArmor profile for /usr/sbin/cupsd lets it use (owner /tmp/**).
#
# The queue is a file: device with a tiny PPD whose only filter is CUPS's
# own gziptoany, which copies the job byte for byte.  A PPD is needed: a
# raw queue (lpadmin without -m or -P) accepts the job, but with a file:
# device and no filter CUPS 2.4 runs nothing and the job "completes" with
# no output at all.  The output file is created beforehand and emptied
# before each job (cups_clear_output): CUPS 2.4.2 as released created and
# truncated it, but Debian 12's security updates (like later 2.4.x
# releases) only open an existing file, and without truncating it, so a
# short job would leave the end of a longer one behind.

CUPS_PRINTER=hallprn

# Check the programs first: a missing package is a skip, not a failure.
cups_check_programs() {
	local p
	for p in cupsd lpadmin lp lpstat; do
		if ! command -v "$p" >/dev/null && [ ! -x "/usr/sbin/$p" ]; then
			CUPS_SKIP="$p not found (Debian packages cups and cups-client; make deps installs them)"
			return 2
		fi
	done
	[ -x /usr/lib/cups/filter/gziptoany ] || {
		CUPS_SKIP="/usr/lib/cups/filter/gziptoany not found (Debian package cups-core-drivers, part of cups)"
		return 2
	}
}

cups_bin() { # cups_bin NAME: the path of a CUPS program (cupsd is in /usr/sbin)
	command -v "$1" 2>/dev/null || echo "/usr/sbin/$1"
}

# Whether the server answers.  lpstat -r exits 0 either way; its answer
# is read in English.
cups_running() {
	LC_ALL=C LANG=C lpstat -h "$CUPS_SERVER" -r 2>/dev/null | grep -q '^scheduler is running'
}

# lpadmin on the private server; it is in /usr/sbin, off most users' PATH.
cups_lpadmin() {
	"$(cups_bin lpadmin)" -h "$CUPS_SERVER" "$@"
}

cups_start() {
	local dir=$1 port=$2 i
	CUPS_SKIP=""
	cups_check_programs || return 2
	case $port in
	'' | *[!0-9]*) echo "cups: bad port '$port'" >&2; return 1 ;;
	esac
	# 631 belongs to the machine's CUPS.
	[ "$port" != 631 ] || { echo "cups: port 631 is the system's CUPS; use another" >&2; return 1; }
	# Someone else on the port would answer our lpstat and take our jobs.
	if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
		echo "cups: 127.0.0.1:$port is already in use" >&2
		return 1
	fi
	mkdir -p "$dir" || return 1
	dir=$(cd "$dir" && pwd)
	CUPS_DIR=$dir
	CUPS_OUT=$dir/out/$CUPS_PRINTER.txt
	mkdir -p "$dir/spool/temp" "$dir/log" "$dir/cache" "$dir/state" "$dir/out" || return 1
	# As root the filters run as lp, which must reach the spool files.
	[ "$(id -u)" = 0 ] && chmod 755 "$dir"

	# No <Location> or policy asks for a password: only 127.0.0.1 can
	# connect, and lpadmin must work for a user who is not in lpadmin.
	cat >"$dir/cupsd.conf" <<-EOF
		Listen 127.0.0.1:$port
		Browsing No
		BrowseLocalProtocols none
		DefaultShared No
		WebInterface No
		LogLevel info
		MaxLogSize 0
		PreserveJobHistory Yes
		PreserveJobFiles No
		<Location />
		  Order allow,deny
		  Allow from 127.0.0.1
		</Location>
		<Policy default>
		  JobPrivateAccess all
		  JobPrivateValues none
		  SubscriptionPrivateAccess all
		  SubscriptionPrivateValues none
		  <Limit All>
		    Order allow,deny
		    Allow from 127.0.0.1
		  </Limit>
		</Policy>
	EOF
	cat >"$dir/cups-files.conf" <<-EOF
		FileDevice Yes
		ServerRoot $dir
		StateDir $dir/state
		CacheDir $dir/cache
		RequestRoot $dir/spool
		TempDir $dir/spool/temp
		Printcap $dir/printcap
		AccessLog $dir/log/access_log
		ErrorLog $dir/log/error_log
		PageLog $dir/log/page_log
	EOF
	# Text in, the same bytes out: gziptoany only decompresses gzip and
	# makes copies, and nothing else is in the chain.
	cat >"$dir/$CUPS_PRINTER.ppd" <<-'EOF'
		*PPD-Adobe: "4.3"
		*FormatVersion: "4.3"
		*FileVersion: "1.0"
		*LanguageVersion: English
		*LanguageEncoding: ISOLatin1
		*PCFileName: "HALLPRN.PPD"
		*Manufacturer: "hallterm"
		*Product: "(hallterm test printer)"
		*ModelName: "hallterm plain text capture"
		*ShortNickName: "hallterm plain text capture"
		*NickName: "hallterm plain text capture"
		*PSVersion: "(3010.000) 0"
		*LanguageLevel: "3"
		*ColorDevice: False
		*DefaultColorSpace: Gray
		*FileSystem: False
		*Throughput: "1"
		*cupsVersion: 2.4
		*cupsManualCopies: True
		*cupsFilter: "text/plain 0 gziptoany"
		*OpenUI *PageSize/Media Size: PickOne
		*DefaultPageSize: A4
		*PageSize A4/A4: ""
		*CloseUI: *PageSize
		*DefaultPageRegion: A4
		*DefaultImageableArea: A4
		*ImageableArea A4: "0 0 595 842"
		*DefaultPaperDimension: A4
		*PaperDimension A4: "595 842"
	EOF
	: >"$CUPS_OUT" || return 1

	if ! "$(cups_bin cupsd)" -t -c "$dir/cupsd.conf" -s "$dir/cups-files.conf" >"$dir/log/cupsd-t.log" 2>&1; then
		echo "cups: cupsd rejects the configuration:" >&2
		cat "$dir/log/cupsd-t.log" >&2
		return 1
	fi
	# In the foreground (-f), as a child of this shell: cups_stop knows
	# its pid and no daemon is left behind.
	"$(cups_bin cupsd)" -f -c "$dir/cupsd.conf" -s "$dir/cups-files.conf" >"$dir/log/cupsd.out" 2>&1 &
	CUPS_PID=$!
	echo "$CUPS_PID" >"$dir/cupsd.pid"

	export CUPS_SERVER=127.0.0.1:$port CUPS_ENCRYPTION=IfRequested
	for i in $(seq 1 100); do
		if ! kill -0 "$CUPS_PID" 2>/dev/null; then
			wait "$CUPS_PID" 2>/dev/null
			CUPS_PID=""
			local why
			why=$(cat "$dir/log/cupsd.out" "$dir/log/error_log" 2>/dev/null | grep -v '^[DI] ' | grep . | tail -2 | paste -sd ' ')
			if [ "$(id -u)" != 0 ]; then
				CUPS_SKIP="cupsd does not run as $(id -un) here: $why"
				return 2
			fi
			echo "cups: cupsd exited at start: $why" >&2
			return 1
		fi
		cups_running && break
		sleep 0.1
	done
	if ! cups_running; then
		echo "cups: cupsd did not answer on $CUPS_SERVER within 10 s, see $dir/log/error_log" >&2
		cups_stop
		return 1
	fi

	# lpadmin warns on every run that PPDs are deprecated; say anything else.
	if ! cups_lpadmin -p "$CUPS_PRINTER" -E -v "file://$CUPS_OUT" \
		-P "$dir/$CUPS_PRINTER.ppd" 2>"$dir/log/lpadmin.err"; then
		echo "cups: lpadmin failed:" >&2
		cat "$dir/log/lpadmin.err" >&2
		cups_stop
		return 1
	fi
	grep -v 'deprecated' "$dir/log/lpadmin.err" >&2
	return 0
}

cups_stop() {
	local pid=${CUPS_PID:-} i
	[ -n "$pid" ] || return 0
	CUPS_PID=""
	kill -TERM "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	return 0
}

cups_temp() {
	CUPS_TMP=$(mktemp -d /tmp/hallterm-cups.XXXXXX) || return 1
	trap 'cups_stop; rm -rf "$CUPS_TMP"' EXIT
	trap 'exit 130' INT TERM
	cups_start "$CUPS_TMP" "${1:-55510}"
}

cups_clear_output() {
	: >"$CUPS_OUT"
}

cups_wait_job() { # cups_wait_job JOB [SECONDS]
	local job=$1 secs=${2:-20} i log=$CUPS_DIR/log/error_log
	local tag="[Job ${1##*-}]"
	# lpstat's "completed" list holds every job that has ended, cancelled
	# and aborted ones too; the scheduler's log says which.  A job that
	# cannot go on stays pending on a stopped queue: its error ends the wait.
	for i in $(seq 1 $((secs * 10))); do
		if lpstat -h "$CUPS_SERVER" -W completed -o "$CUPS_PRINTER" 2>/dev/null | grep -q "^$job "; then
			grep -qF "$tag Job completed." "$log" && return 0
			echo "cups: $job ended without completing:" >&2
			grep -F "$tag" "$log" | tail -3 >&2
			return 1
		fi
		if grep "^E " "$log" | grep -qF "$tag"; then
			echo "cups: $job failed:" >&2
			grep "^E " "$log" | grep -F "$tag" >&2
			return 1
		fi
		sleep 0.1
	done
	echo "cups: $job did not complete within $secs s" >&2
	return 1
}
