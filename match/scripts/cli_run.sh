#!/usr/bin/env bash
# Times the real command end to end, from profile CSV files to matches.csv
# with explanations: builds tandem, writes N mentees and M mentors
# (match/cmd/genpeople, the profiles of BenchmarkRunProfiles10k) and runs
# `tandem match run` RUNS times per mode, printing each run's wall, user
# and system time and the median wall and CPU (user + system).
#
#   match/scripts/cli_run.sh [modes] [runs] [n] [m] [cap]
#   match/scripts/cli_run.sh "stable optimal" 5 10000 2000 5
set -euo pipefail
modes=${1:-stable} runs=${2:-5} n=${3:-10000} m=${4:-2000} cap=${5:-5}
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/tandem" ./cmd/tandem
go run ./match/cmd/genpeople -n "$n" -m "$m" -cap "$cap" -out "$dir/p"
echo "instance: $n mentees, $m mentors, capacity $cap; load average $(cut -d' ' -f1-3 /proc/loadavg)"
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for mode in $modes; do
	: >"$dir/wall" && : >"$dir/cpu"
	for r in $(seq "$runs"); do
		/usr/bin/env time -f "%e %U %S" -o "$dir/t" "$dir/tandem" match run --mentees "$dir/p_mentees.csv" \
			--mentors "$dir/p_mentors.csv" --mode "$mode" --out "$dir/matches.csv" >"$dir/out"
		read -r wall user sys <"$dir/t"
		echo "$wall" >>"$dir/wall"
		awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}' >>"$dir/cpu"
		echo "$mode run $r: wall ${wall}s user ${user}s sys ${sys}s; $(grep '^time:' "$dir/out")"
	done
	echo "$mode: median wall $(median <"$dir/wall")s, median CPU $(median <"$dir/cpu")s over $runs runs; $(wc -l <"$dir/matches.csv") lines in matches.csv"
done
