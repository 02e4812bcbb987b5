#!/usr/bin/env bash
# `make health`: whether every service of the compose stack is as it should be, a line each: a long-running service
# running and healthy (or running, when it has no health check), a one-shot one (kafka-init, minio-init,
# airflow-init, tasks-image) exited with 0. Exits 0 when all are, 1 otherwise. With HEALTH_WAIT=SECONDS (`make up`)
# it asks again every 5 s until all are or the time is up.
#
#   COMPOSE      the compose command (default: docker compose)
#   HEALTH_WAIT  seconds to wait for a healthy stack (default 0: ask once)
set -euo pipefail

read -r -a compose <<<"${COMPOSE:-docker compose}"
deadline=$((SECONDS + ${HEALTH_WAIT:-0}))

one_shot() { [[ "$1" == *-init || "$1" == tasks-image ]]; }

# report: a line per service of the compose files; returns 1 when one is not as it should be.
report() {
  local services states service state health code verdict fine rc=0
  services="$("${compose[@]}" config --services)"
  states="$("${compose[@]}" ps --all --format '{{.Service}}|{{.State}}|{{.Health}}|{{.ExitCode}}')"
  for service in $services; do
    IFS='|' read -r _ state health code < <(grep "^$service|" <<<"$states" || echo "|||")
    fine=no
    if [[ -z "$state" ]]; then
      verdict="not created"
    elif one_shot "$service"; then
      case "$state/$code" in
        exited/0) verdict="done" fine=yes ;;
        running/*) verdict="running: not done yet" ;;
        *) verdict="$state (exit $code): see make logs-$service" ;;
      esac
    elif [[ "$state" == running && ( "$health" == healthy || -z "$health" ) ]]; then
      verdict="${health:-running}" fine=yes
    else
      verdict="$state${health:+, $health}: see make logs-$service"
    fi
    printf '%-24s %s\n' "$service" "$verdict"
    [[ "$fine" == yes ]] || rc=1
  done
  return "$rc"
}

until out="$(report)"; do
  if ((SECONDS >= deadline)); then
    echo "$out"
    echo "make health: the stack is not healthy"
    exit 1
  fi
  sleep 5
done
echo "$out"
