#!/usr/bin/env bash
# A sweep on a real one-node Slurm (docs/sweeps.md, "On a cluster"): installs munge, slurmctld,
# slurmd and slurm-client when missing (skips, exit 0, only when they cannot be installed), starts
# a private munged, slurmctld and slurmd as root without systemd (state, spool, sockets and ports of
# their own under a temporary folder), then checks that
#   1. a 4-point sweep run as a job array, two tasks at a time, collects a results.csv byte-identical
#      to a local `xnn sweep` of the same sweep file;
#   2. after scancel of one task, `--collect` names the missing point, and `--slurm --only-missing`
#      re-runs only it, completing the sweep with no duplicate and no lost row (byte-identical again).
# The daemons are stopped by their PIDs on exit, whatever happens. Needs the release build of xnn
# (scripts/test.sh makes it). Usage: bash scripts/slurm_test.sh
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
started=$SECONDS
say() { echo "slurm test: $*" >&2; }
fail() { say "FAILED: $*"; exit 1; }

packages=(munge slurmctld slurmd slurm-client)
missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
    say "installing ${missing[*]}"
    if [[ $(id -u) -ne 0 ]] || ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
        say "skipped: the Debian packages ${missing[*]} could not be installed (needs root and the package archive)"
        exit 0
    fi
fi
[[ $(id -u) -eq 0 ]] || { say "skipped: the Slurm daemons are started as root, and this is user $(id -un)"; exit 0; }

xnn=$repo/.build/release/xnn
[[ -x $xnn ]] || swift build -c release -Xswiftc -enable-testing --product xnn
work=$(mktemp -d /tmp/xnn-slurm-test.XXXXXX)
pids=()
stop_daemons() {
    local status=$?
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    if ((status != 0)); then
        say "logs kept in $work"
        tail -n 20 "$work"/slurmctld.log "$work"/slurmd.log "$work"/munge/munged.log >&2 2>/dev/null || true
    else
        rm -rf "$work"
    fi
}
trap stop_daemons EXIT

# munge: a key and socket of its own, so a munged already running here is left alone.
mkdir -m 700 "$work/munge"
dd if=/dev/urandom of="$work/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$work/munge/munge.key"
munged --foreground --force --key-file="$work/munge/munge.key" --socket="$work/munge/socket" \
    --pid-file="$work/munge/munged.pid" --log-file="$work/munge/munged.log" --seed-file="$work/munge/seed" 2>> "$work/daemons.err" &
pids+=($!)

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
host=$(hostname -s)
node_line=$(slurmd -C | head -n 1)
node=$(sed -n 's/^NodeName=\([^ ]*\).*/\1/p' <<< "$node_line")
export SLURM_CONF=$work/slurm.conf
mkdir -p "$work/state" "$work/spool"
cat > "$SLURM_CONF" <<EOF
ClusterName=xnntest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
KillWait=10
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF
# In the foreground (-D), so that $! is the daemon's PID; what they print goes to their logs too.
slurmctld -D -i -f "$SLURM_CONF" 2>> "$work/daemons.err" &
pids+=($!)
slurmd -D -f "$SLURM_CONF" 2>> "$work/daemons.err" &
pids+=($!)
for _ in $(seq 120); do
    [[ $(sinfo -h -o %T 2>/dev/null) == idle ]] && break
    sleep 0.5
done
[[ $(sinfo -h -o %T 2>/dev/null) == idle ]] || fail "the node did not become idle: $(sinfo 2>&1 | tail -n 1)"
say "Slurm is up ($(sinfo -h -o '%N %c CPUs %T'))"

# One sweep file, copied unchanged into three folders: local, on Slurm, and on Slurm with a task cancelled.
write_sweep() {
    mkdir -p "$1"
    cat > "$1/sweep.yaml" <<EOF
base: $repo/experiments/quickstart.yaml
output: out
jobs: 2
set:
  training.epochs: 300
  training.patience: 0
  model.hidden_widths: [64]
  training.acceptance.enabled: false
grid:
  model.concepts: [2, 3]
  seed: [1, 2]
EOF
}
for name in local slurm cancel; do write_sweep "$work/$name"; done
(cd "$work/local" && "$xnn" sweep sweep.yaml > /dev/null) || fail "the local sweep failed"
local_results=$work/local/out/results.csv
[[ $(wc -l < "$local_results") -eq 5 ]] || fail "the local sweep has $(wc -l < "$local_results") lines in results.csv, expected 5"

# 1. The whole sweep as an array, two tasks at a time (sampled while it runs).
cd "$work/slurm"
"$xnn" sweep sweep.yaml --slurm > /dev/null
grep -q '^#SBATCH --array=0-3%2$' out/slurm/array.sbatch || fail "the array line is not 0-3%2: $(grep array out/slurm/array.sbatch)"
( most=0; while sleep 0.1; do
    n=$(squeue -h -r -t R -n xnn-sweep | wc -l)
    if ((n > most)); then most=$n; echo "$most" > "$work/most"; fi
done ) &
sampler=$!
array_job=$(sbatch --parsable --wait out/slurm/array.sbatch) || fail "the array job failed: $(tail -n 3 out/logs/slurm-*.out)"
kill "$sampler"; wait "$sampler" 2>/dev/null || true
sbatch --wait --dependency="afterany:${array_job%%;*}" out/slurm/collect.sbatch > /dev/null || fail "the collect job failed: $(cat out/logs/slurm-*-collect.out)"
[[ $(cat "$work/most" 2>/dev/null) == 2 ]] || fail "expected 2 tasks running at once at most and at some time, saw $(cat "$work/most" 2>/dev/null || echo none)"
cmp out/results.csv "$local_results" || fail "results.csv on Slurm differs from the local run's: $(diff out/results.csv "$local_results")"
say "4-point array, 2 at a time: results.csv byte-identical to the local run's"

# 2. Cancel one task while it trains; the collect job after the array reports it missing.
cd "$work/cancel"
submitted=$("$xnn" sweep sweep.yaml --slurm --submit) || fail "--submit failed"
array_job=$(sed -n 's/^submitted: array job \([0-9]*\), collect job \([0-9]*\).*/\1/p' <<< "$submitted")
collect_job=$(sed -n 's/^submitted: array job \([0-9]*\), collect job \([0-9]*\).*/\2/p' <<< "$submitted")
[[ -n $array_job && -n $collect_job ]] || fail "no job ids in: $submitted"
# Cancelled once its training is under way (its staging folder exists), so it stops mid-run.
for _ in $(seq 300); do
    compgen -G 'out/.concepts-2_seed-2.partial-*' > /dev/null && break
    sleep 0.1
done
sleep 1
scancel "${array_job}_1"
for _ in $(seq 600); do
    [[ -z $(squeue -h -j "$array_job,$collect_job" 2>/dev/null) ]] && break
    sleep 0.2
done
grep -q 'point 1 (concepts-2_seed-2)' out/logs/slurm-"$collect_job"-collect.out \
    || fail "the collect job did not name the cancelled point: $(cat out/logs/slurm-"$collect_job"-collect.out)"
if "$xnn" sweep sweep.yaml --collect 2> "$work/collect.err" > /dev/null; then fail "--collect exited 0 with point 1 cancelled"; fi
grep -q 'point 1 (concepts-2_seed-2)' "$work/collect.err" || fail "--collect did not name point 1: $(cat "$work/collect.err")"
say "scancel of task 1: --collect reports $(grep -o 'point 1 .*' "$work/collect.err")"

# Re-submit only what is missing.
"$xnn" sweep sweep.yaml --slurm --only-missing > /dev/null
grep -q '^#SBATCH --array=1%2$' out/slurm/array.sbatch || fail "--only-missing wrote $(grep array out/slurm/array.sbatch), expected 1%2"
sbatch --wait out/slurm/array.sbatch > /dev/null || fail "the re-submitted task failed: $(tail -n 3 out/logs/concepts-2_seed-2.log)"
"$xnn" sweep sweep.yaml --collect > /dev/null || fail "--collect after the re-submission failed"
[[ $(cut -d, -f1 out/results.csv | sort | uniq -d) == "" ]] || fail "duplicate rows in results.csv"
cmp out/results.csv "$local_results" || fail "results.csv after the re-submission differs from the local run's: $(diff out/results.csv "$local_results")"
say "re-submitting only point 1 completed the sweep: results.csv byte-identical to the local run's"
say "passed in $((SECONDS - started)) s"
