#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine, for the demo and the integration suite.
#   tools/docker-engine.sh ensure
# An engine that answers is never touched. When none answers and this runs as root on Debian or
# Ubuntu, it installs Debian's docker.io (and debootstrap, which builds the stand-in base image
# where no registry is reachable) with apt, starts the daemon (systemd where it is PID 1, else the
# service script, else dockerd in the background, logging to /tmp/deploykit-dockerd.log) and waits
# for it, bounded. Anywhere else it prints the one line to run and exits 1.
set -euo pipefail

say() { printf 'docker-engine: %s\n' "$*" >&2; }
answers() { command -v docker >/dev/null 2>&1 && timeout 10 docker info >/dev/null 2>&1; }

distribution() {
  # ID and ID_LIKE from /etc/os-release, for example "debian" or "ubuntu debian".
  [ -r /etc/os-release ] || return 0
  (. /etc/os-release && printf '%s %s\n' "${ID:-}" "${ID_LIKE:-}")
}

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v docker >/dev/null 2>&1 || missing+=(docker.io)
  command -v debootstrap >/dev/null 2>&1 || missing+=(debootstrap)
  [ "${#missing[@]}" -gt 0 ] || return 0
  local packages
  packages="$(printf '%s\n' "${missing[@]}" | sort -u | tr '\n' ' ')"
  say "installing from the distribution with apt: ${packages}(a minute or two)"
  timeout 600 apt-get update -qq
  # shellcheck disable=SC2086 # one word per package
  DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends \
    $packages >/dev/null
}

start_daemon() {
  if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ] && command -v systemctl >/dev/null 2>&1; then
    say "starting the daemon: systemctl enable --now docker"
    timeout 120 systemctl enable --now docker
  elif [ -x /etc/init.d/docker ] && timeout 60 service docker start >/dev/null 2>&1; then
    say "started the daemon: service docker start (log: /var/log/docker.log)"
  else
    say "starting the daemon: dockerd in the background (log: /tmp/deploykit-dockerd.log)"
    nohup dockerd >/tmp/deploykit-dockerd.log 2>&1 &
  fi
  for _ in $(seq 1 60); do
    answers && return 0
    sleep 1
  done
  say "the daemon did not answer within 60 s; its last log lines:"
  tail -n 20 /tmp/deploykit-dockerd.log /var/log/docker.log >&2 2>/dev/null || true
  return 1
}

ensure() {
  if answers; then
    return 0
  fi
  case " $(distribution) " in
    *" debian "*|*" ubuntu "*) debian_like=true ;;
    *) debian_like=false ;;
  esac
  if [ "$(id -u)" -ne 0 ] || [ "$debian_like" != true ]; then
    say "no Docker engine answers here. Install and start one, for example on Debian or Ubuntu:"
    say "  sudo apt-get install -y docker.io && sudo systemctl enable --now docker"
    return 1
  fi
  say "no Docker engine answers here; installing and starting one (root on $(distribution | cut -d' ' -f1))"
  install_packages
  start_daemon
  say "Docker engine $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})') answers"
}

case "${1:-}" in
  ensure) ensure ;;
  *) echo "usage: $0 ensure" >&2; exit 2 ;;
esac
