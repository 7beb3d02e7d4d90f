#!/usr/bin/env bash
# bench-import.sh measures what BenchmarkImportPeople100k cannot: the peak
# memory (maximum resident set size) of a real `tandem import people` of
# 100,000 people in a seven-level hierarchy, with its wall time, on SQLite
# and on PostgreSQL. The file is the benchmark's own (TestWriteBenchCSV).
#
#   scripts/bench-import.sh
#
# PostgreSQL is used when it answers at $TANDEM_TEST_POSTGRES (default
# postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable); the import
# goes into a fresh schema that is dropped afterwards. When it does not
# answer, that half is skipped. Targets: under 20 s and 500 MiB.
set -euo pipefail

cd "$(dirname "$0")/.."
pg_url=${TANDEM_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable}
max_seconds=20
max_mib=500

work=$(mktemp -d)
schema=""
cleanup() {
	if [[ -n $schema ]]; then
		psql -q "$pg_url" -c "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1 || true
	fi
	rm -rf "$work"
}
trap cleanup EXIT

echo "building tandem and generating 100,000 people…"
go build -o "$work/tandem" ./cmd/tandem
TANDEM_BENCH_CSV="$work/people.csv" go test -count=1 -run '^TestWriteBenchCSV$' ./app/ >/dev/null
echo "file: $(du -h "$work/people.csv" | cut -f1), $(($(wc -l <"$work/people.csv") - 1)) people"

status=0

# measure LABEL ARGS… creates an organization in the database the ARGS
# select, then imports the file under /usr/bin/time and reports its wall
# time and peak memory against the targets.
measure() {
	local label=$1
	shift
	echo "bench password, long enough" >"$work/pw"
	"$work/tandem" user create "$@" --admin --org Bench --email admin@bench.test --name Admin \
		--password-file "$work/pw" --log-level warn >/dev/null
	if ! /usr/bin/time -v -o "$work/time.txt" "$work/tandem" import people "$work/people.csv" --org Bench "$@" --log-level warn >/dev/null; then
		echo "$label: import failed" >&2
		status=1
		return
	fi
	local kib wall seconds mib verdict=ok
	kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$work/time.txt")
	# Elapsed is h:mm:ss or m:ss.ss.
	seconds=$(awk -v t="$wall" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.1f", s }')
	mib=$((kib / 1024))
	if awk -v s="$seconds" -v m="$max_seconds" 'BEGIN { exit !(s >= m) }' || ((mib >= max_mib)); then
		verdict="MISSED (targets: under ${max_seconds} s and ${max_mib} MiB)"
		status=1
	fi
	printf '%-10s wall %6s s   peak RSS %4d MiB   %s\n' "$label:" "$seconds" "$mib" "$verdict"
}

measure sqlite --data "$work/data"

if command -v psql >/dev/null && psql -q "$pg_url" -c 'SELECT 1' >/dev/null 2>&1; then
	schema="bench_import_$$"
	psql -q "$pg_url" -c "CREATE SCHEMA $schema" >/dev/null
	sep='?'
	[[ $pg_url == *\?* ]] && sep='&'
	measure postgres --database "${pg_url}${sep}search_path=${schema}"
else
	echo "postgres:  skipped, nothing answers at $pg_url"
fi
exit $status
