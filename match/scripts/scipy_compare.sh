#!/usr/bin/env bash
# Compares the match engine with scipy.optimize.linear_sum_assignment on
# the same generated instance, in the same run, and prints the ratio.
# scipy has no capacities, so each mentor column is repeated capacity
# times. scipy takes 10+ s at 10,000 x 2,000 x 5 on uniform scores (and
# minutes on popular ones), so the default size is scaled down; pass
# FAMILY N M CAP to change it.
#
#   match/scripts/scipy_compare.sh [family] [n] [m] [cap]
set -euo pipefail
family=${1:-uniform} n=${2:-2000} m=${3:-400} cap=${4:-5}
# Debian's python3-scipy lives under /usr/bin/python3; a python3 earlier on
# PATH (pyenv) may lack it.
py=
for cand in /usr/bin/python3 python3; do
	if command -v "$cand" >/dev/null 2>&1 && "$cand" -c 'import scipy, numpy' 2>/dev/null; then
		py=$cand
		break
	fi
done
if [ -z "$py" ]; then
	echo "scipy_compare: no python3 with scipy and numpy (apt-get install python3-scipy); skipping"
	exit 0
fi
if [ "$n" -lt 10000 ]; then
	echo "scipy_compare: scaled down to $n x $m x $cap (scipy needs 10+ s at 10,000 x 2,000 x 5 uniform, minutes on popular)"
fi
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go run ./match/cmd/geninstance -family "$family" -n "$n" -m "$m" -cap "$cap" -out "$dir/s"
go test ./match/ -run TestSolveNPY -count 1 -v -args -npy "$dir/s.npy" -cap "$cap" >"$dir/go.txt"
"$py" - "$dir/s.npy" "$cap" "$dir/go.txt" <<'PY'
import sys, time, re
import numpy as np
from scipy.optimize import linear_sum_assignment
s = np.load(sys.argv[1]).astype(np.float64)
cap = int(sys.argv[2])
go = open(sys.argv[3]).read()
m = re.search(r"solve_ms=([0-9.]+) score=([-0-9.e+]+) matched=(\d+)", go)
if not m:
    print("could not read the Go result:\n" + go); sys.exit(1)
go_ms, go_score, go_matched = float(m.group(1)), float(m.group(2)), int(m.group(3))
big = 1e9  # forbidden: a cost no optimum pays while a feasible match exists
cost = np.where(np.isnan(s), big, -s)
cost = np.repeat(cost, cap, axis=1)
t = time.perf_counter()
r, c = linear_sum_assignment(cost)
sp_ms = (time.perf_counter() - t) * 1000
ok = cost[r, c] < big
sp_score = float(-cost[r, c][ok].sum())
print(f"instance {s.shape[0]}x{s.shape[1]} cap {cap}")
print(f"scipy linear_sum_assignment: {sp_ms:.1f} ms, score {sp_score:.4f}, matched {int(ok.sum())}")
print(f"tandem match.Assign:         {go_ms:.1f} ms, score {go_score:.4f}, matched {go_matched}")
print(f"ratio scipy/tandem: {sp_ms / go_ms:.1f}x; score difference {abs(sp_score - go_score):.3g}")
PY
