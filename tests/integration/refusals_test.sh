#!/usr/bin/env bash
# Every refusal the schema can raise has a machine-readable reason, and the
# terminal has a sentence for each (issue 8): every RAISE EXCEPTION in
# schema/*.sql and schema/demo/demo.sql (a bare RAISE 'text' counts too;
# WARNING, NOTICE ... and a re-raising RAISE; do not) carries
# HINT = 'reason:<code>[:<arg>...]' with a snake_case code; every code has a
# REFUSAL line in src/db/refusals.def; and no REFUSAL line is dead (a code
# no RAISE uses), except those marked REFUSAL_CLIENT (codes the program
# makes up itself).  No database needed: the statements are read from the
# files, each up to its ';' (quotes and comments respected).
set -uo pipefail
cd "$(dirname "$0")/../.."
source tests/lib/tap.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# One line per raising statement: file<TAB>line<TAB>code ("-" when the
# statement has no reason hint)<TAB>the statement on one line.
raises() {
	perl -e '
		for my $file (@ARGV) {
			open(my $fh, "<", $file) or die "$file: $!\n";
			local $/; my $src = <$fh>; close $fh;
			my ($i, $n, $line) = (0, length $src, 1);
			my ($start, $sline);
			while ($i < $n) {
				my $c = substr($src, $i, 1);
				if ($c eq "\n") { $line++; $i++; next; }
				if (substr($src, $i, 2) eq "--") {          # comment to the end of the line
					my $e = index($src, "\n", $i); $i = $e < 0 ? $n : $e; next;
				}
				if (substr($src, $i, 2) eq "/*") {
					my $e = index($src, "*/", $i + 2); $e = $e < 0 ? $n : $e + 2;
					$line += () = substr($src, $i, $e - $i) =~ /\n/g; $i = $e; next;
				}
				if ($c eq "\x27") {                           # a quoted string ('' inside is two of them)
					my $e = index($src, "\x27", $i + 1); $e = $e < 0 ? $n : $e + 1;
					$line += () = substr($src, $i, $e - $i) =~ /\n/g; $i = $e; next;
				}
				if (!defined $start && substr($src, $i, 5) =~ /^raise/i
				    && ($i == 0 || substr($src, $i - 1, 1) !~ /\w/)
				    && substr($src, $i) =~ /^raise\b\s*(\S+)/is
				    && $1 !~ /^(warning|notice|info|log|debug)\b/i && $1 !~ /^;/) {
					($start, $sline) = ($i, $line); $i += 5; next;
				}
				if ($c eq ";" && defined $start) {
					my $stmt = substr($src, $start, $i - $start);
					$stmt =~ s/\s+/ /g;
					my $code = $stmt =~ /\bHINT\s*=\s*\x27reason:([^:\x27]*)/i ? $1 : "-";
					print "$file\t$sline\t$code\t$stmt\n";
					undef $start;
				}
				$i++;
			}
		}' "$@"
}

files=(schema/*.sql schema/demo/demo.sql)
raises "${files[@]}" >"$tmp/raises"
tap_is "$?" 0 "the schema files can be read"
total=$(wc -l <"$tmp/raises")
tap_ok "$([ "$total" -gt 50 ]; echo $?)" "the schema raises $total refusals"

for f in "${files[@]}"; do
	n=$(awk -F'\t' -v f="$f" '$1 == f' "$tmp/raises" | wc -l)
	[ "$n" -gt 0 ] || continue
	missing=$(awk -F'\t' -v f="$f" '$1 == f && $3 == "-" { print $1 ":" $2 ": " $4 }' "$tmp/raises")
	tap_ok "$([ -z "$missing" ]; echo $?)" "$f: each of its $n RAISE EXCEPTION has HINT = 'reason:<code>'" "$missing"
done

bad=$(awk -F'\t' '$3 != "-" && $3 !~ /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/ { print $1 ":" $2 ": reason code \"" $3 "\"" }' \
	"$tmp/raises")
tap_ok "$([ -z "$bad" ]; echo $?)" "every reason code is snake_case" "$bad"

awk -F'\t' '$3 != "-" { print $3 }' "$tmp/raises" | sort -u >"$tmp/used"
sed -nE 's/^[[:space:]]*REFUSAL\(([A-Za-z0-9_]+)[[:space:]]*,.*/\1/p' src/db/refusals.def | sort >"$tmp/def_all"
sed -nE 's/^[[:space:]]*REFUSAL_CLIENT\(([A-Za-z0-9_]+)[[:space:]]*,.*/\1/p' src/db/refusals.def | sort >"$tmp/client"
tap_ok "$([ -s "$tmp/def_all" ]; echo $?)" "src/db/refusals.def has $(wc -l <"$tmp/def_all") REFUSAL lines"

dup=$(cat "$tmp/def_all" "$tmp/client" | sort | uniq -d)
tap_ok "$([ -z "$dup" ]; echo $?)" "each code has one line in refusals.def" "$dup"

sort -u "$tmp/def_all" "$tmp/client" >"$tmp/def"
nosentence=$(comm -23 "$tmp/used" "$tmp/def" | while read -r code; do
	awk -F'\t' -v c="$code" '$3 == c { print $1 ":" $2 ": reason:" c; exit }' "$tmp/raises"
done)
tap_ok "$([ -z "$nosentence" ]; echo $?)" "every reason raised has a REFUSAL line in src/db/refusals.def" "$nosentence"

dead=$(comm -13 "$tmp/used" <(sort -u "$tmp/def_all"))
tap_ok "$([ -z "$dead" ]; echo $?)" "no REFUSAL line is dead (its code raised nowhere; mark the program's own REFUSAL_CLIENT)" "$dead"

# The parser itself: a quoted ';', a comment with an apostrophe and a
# re-raise must not fool it.
cat >"$tmp/probe.sql" <<'EOF'
-- the caller's own RAISE EXCEPTION 'in a comment';
CREATE FUNCTION p() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'a; b (it''s quoted)' USING ERRCODE = '22023',
		HINT = 'reason:probe_one:' || 1;
	RAISE WARNING 'not a refusal';
	RAISE 'bare %', 1 USING ERRCODE = '55000';
EXCEPTION WHEN OTHERS THEN
	RAISE;
END $$;
EOF
got=$(raises "$tmp/probe.sql" | cut -f2,3 | tr '\t\n' ': ')
tap_is "$got" "4:probe_one 7:- " "the statement reader keeps quotes, comments and re-raises apart"

tap_done
