#!/usr/bin/env bash
# A one-node Slurm on this machine, for the sweep tests (and for trying `hedonist sweep --executor slurm`).
#
#   scripts/slurm-local.sh start   install slurm-wlm + munge with apt when missing (root), write a one-node
#                                  slurm.conf into $HEDONIST_SLURM_DIR, start munged (unless one answers),
#                                  slurmctld and slurmd; wait until the node is idle. Prints the conf path:
#                                  clients need SLURM_CONF=<that path>.
#   scripts/slurm-local.sh stop    stop the daemons the last `start` started (by the pids they wrote); a
#                                  daemon that was already running when it was called is left running.
#
# The cluster is private to its directory (default /var/tmp/hedonist-slurm): its own slurm.conf (given to
# the clients by SLURM_CONF), spool, logs, pid files, its own munged (key and socket in DIR/munge) and two
# free ports, so it leaves /etc/slurm, a system munged and other such clusters on the machine alone (tests
# may run in several checkouts at once). proctrack/linuxproc, task/none, no cgroups (no cgroup.conf: Slurm
# 22.05 knows no 'disabled' value); accounting is off, so sacct answers nothing and `hedonist sweep status`
# reads squeue.
set -euo pipefail

DIR="${HEDONIST_SLURM_DIR:-/var/tmp/hedonist-slurm}"
CONF="$DIR/slurm.conf"

say() { echo "slurm-local: $*" >&2; }

alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
  if [ "$(id -u)" != 0 ]; then say "run as root (it installs packages and starts daemons as root)"; exit 2; fi
  if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
    say "installing slurm-wlm and munge"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq slurm-wlm munge >/dev/null
  fi
  mkdir -p "$DIR/spool/ctld" "$DIR/spool/d" "$DIR/log" "$DIR/munge"
  chmod 755 "$DIR" "$DIR/munge"
  : >"$DIR/started"
  local host cores mem port
  host="$(hostname -s)"
  cores="$(nproc)"
  mem="$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)"
  # A running controller keeps its conf; else two free ports (nothing answers a connect on either).
  if ! alive "$DIR/slurmctld.pid"; then
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && ! (exec 3<>"/dev/tcp/127.0.0.1/$((port + 1))") 2>/dev/null; then break; fi
  done
  cat >"$CONF" <<EOF
ClusterName=hedonist-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$DIR/munge/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
StateSaveLocation=$DIR/spool/ctld
SlurmdSpoolDir=$DIR/spool/d
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/log/slurmctld.log
SlurmdLogFile=$DIR/log/slurmd.log
JobAcctGatherType=jobacct_gather/none
ReturnToService=2
KillWait=10
MinJobAge=30
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cores RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  fi

  # munge: our own daemon (root, --force: it runs as root with its own key and socket in DIR/munge).
  if ! alive "$DIR/munged.pid"; then
    [ -s "$DIR/munge/munge.key" ] || { head -c 1024 /dev/urandom >"$DIR/munge/munge.key"; chmod 400 "$DIR/munge/munge.key"; }
    /usr/sbin/munged --force --socket="$DIR/munge/munge.socket" --key-file="$DIR/munge/munge.key" \
      --log-file="$DIR/log/munged.log" --pid-file="$DIR/munged.pid" --seed-file="$DIR/munge/munged.seed"
    echo munged >>"$DIR/started"
  fi
  if ! alive "$DIR/slurmctld.pid"; then /usr/sbin/slurmctld -f "$CONF"; echo slurmctld >>"$DIR/started"; fi
  if ! alive "$DIR/slurmd.pid"; then /usr/sbin/slurmd -f "$CONF"; echo slurmd >>"$DIR/started"; fi
  export SLURM_CONF="$CONF"
  for _ in $(seq 100); do
    if sinfo -h -o '%T' 2>/dev/null | grep -qx 'idle'; then
      say "node $host idle ($cores cpus); export SLURM_CONF=$CONF"
      echo "$CONF"
      return 0
    fi
    sleep 0.2
  done
  say "the node did not become idle; logs in $DIR/log"
  sinfo >&2 || true
  exit 1
}

stop() {
  local f
  [ -f "$DIR/started" ] || return 0
  for f in slurmd slurmctld munged; do
    grep -qx "$f" "$DIR/started" || continue
    if alive "$DIR/$f.pid"; then
      local pid
      pid="$(cat "$DIR/$f.pid")"
      kill "$pid"
      for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      say "stopped $f (pid $pid)"
    fi
  done
  rm -f "$DIR/started"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
