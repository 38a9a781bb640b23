#!/usr/bin/env bash
# A private single-node Slurm for the job tests: installs Debian's slurm-wlm and munge when missing (apt), then
# starts munged, slurmctld and slurmd from a configuration written into STATE_DIR (own munge key and socket, own
# ports, own spool): nothing under /etc is changed, and `stop` ends exactly the daemons `start` began.
#   slurm-local.sh start STATE_DIR   prints SLURM_CONF=… on success (export it for sbatch/squeue/scontrol)
#   slurm-local.sh stop  STATE_DIR
# Needs root (the daemons run as root here) or passwordless sudo for the apt step.
set -euo pipefail
cmd=${1:-}; state=${2:-}
[ -n "$cmd" ] && [ -n "$state" ] || { echo "usage: $0 start|stop STATE_DIR" >&2; exit 2; }
say() { printf '[slurm-local] %s\n' "$*" >&2; }
die() { printf '[slurm-local] error: %s\n' "$*" >&2; exit 1; }

stop_daemons() {
  for name in slurmd slurmctld munged; do
    pidfile="$state/$name.pid"
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
  done
}

if [ "$cmd" = stop ]; then stop_daemons; say "stopped"; exit 0; fi
[ "$cmd" = start ] || die "unknown command '$cmd' (start or stop)"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"; else die "need root to run: $*"; fi; }
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null || ! command -v munged >/dev/null; then
  say "installing slurm-wlm and munge (apt, once)"
  # Another apt run may hold the lock for a while: wait for it rather than fail.
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends slurm-wlm munge >&2 \
    || { as_root apt-get -o DPkg::Lock::Timeout=600 update -q >&2 && as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends slurm-wlm munge >&2; } \
    || die "apt-get install slurm-wlm munge failed"
fi
[ "$(id -u)" = 0 ] || die "the local Slurm daemons need root here (run the tests as root)"

mkdir -p "$state"/{spool,ctld,log,munge}
state=$(cd "$state" && pwd)
stop_daemons   # a previous run that was not stopped
chmod 700 "$state/munge"
host=$(hostname -s)
cpus=$(nproc)
# Ports away from Slurm's defaults (6817/6818), chosen per state folder, so a system Slurm or a second test run does not collide.
base=$(( 20000 + $(printf '%s' "$state" | cksum | cut -d' ' -f1) % 20000 ))

# munge: a fresh key and a private socket.
dd if=/dev/urandom of="$state/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$state/munge/munge.key"
munged --force --key-file="$state/munge/munge.key" --socket="$state/munge/munge.socket" \
  --pid-file="$state/munged.pid" --log-file="$state/log/munged.log" --seed-file="$state/munge/munge.seed" \
  || die "munged did not start: $(tail -3 "$state/log/munged.log" 2>/dev/null)"

cat > "$state/slurm.conf" <<CONF
# Written by tests/Jobs/slurm-local.sh: one node, this machine, no cgroups (containers), no accounting.
ClusterName=streammatte-test
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$state/munge/munge.socket
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$state/slurm.conf"

slurmctld -f "$SLURM_CONF" -i || die "slurmctld did not start: $(tail -5 "$state/log/slurmctld.log" 2>/dev/null)"
slurmd -f "$SLURM_CONF" -N "$host" || die "slurmd did not start: $(tail -5 "$state/log/slurmd.log" 2>/dev/null)"

# Ready when the node is idle.
for _ in $(seq 60); do
  if sinfo -h -N -o '%T' 2>/dev/null | grep -qx idle; then
    say "single-node Slurm up (node $host, $cpus CPUs, ports $base-$((base + 1)))"
    echo "SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.5
done
die "the node did not become idle: $(sinfo -N 2>&1 | tail -2); slurmd log: $(tail -3 "$state/log/slurmd.log" 2>/dev/null)"
