#!/usr/bin/env bash
# `make health`: whether every service of the compose stack is as it should be, a line each: a long-running service
# running and healthy (or running, when it has no health check), every container of it when it is scaled, a one-shot
# one (kafka-init, minio-init, airflow-init, tasks-image) exited with 0. Exits 0 when all are, 1 otherwise. With
# HEALTH_WAIT=SECONDS (`make up`) it asks again every 5 s until all are or the time is up.
#
#   COMPOSE      the compose command (default: docker compose)
#   HEALTH_WAIT  seconds to wait for a healthy stack (default 0: ask once)
set -euo pipefail

read -r -a compose <<<"${COMPOSE:-docker compose}"
deadline=$((SECONDS + ${HEALTH_WAIT:-0}))

one_shot() { [[ "$1" == *-init || "$1" == tasks-image ]]; }

# judge SERVICE STATE HEALTH EXIT_CODE: one container's verdict, and fine=yes when it is as it should be.
judge() {
  local service="$1" state="$2" health="$3" code="$4"
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
}

# report: a line per service of the compose files; returns 1 when one is not as it should be. A service scaled to
# several containers (the profile celery's airflow-worker) is as it should be when all of them are.
report() {
  local services states service state health code verdict fine total good first_bad rc=0
  services="$("${compose[@]}" config --services)"
  states="$("${compose[@]}" ps --all --format '{{.Service}}|{{.State}}|{{.Health}}|{{.ExitCode}}')"
  for service in $services; do
    total=0 good=0 first_bad=""
    while IFS='|' read -r _ state health code; do
      judge "$service" "$state" "$health" "$code"
      total=$((total + 1))
      if [[ "$fine" == yes ]]; then good=$((good + 1)); else first_bad="${first_bad:-$verdict}"; fi
    done < <(grep "^$service|" <<<"$states" || echo "|||")
    if ((good < total)); then
      verdict="$first_bad"
      rc=1
    fi
    if ((total > 1)); then
      verdict+=" ($good of $total containers fine)"
    fi
    printf '%-24s %s\n' "$service" "$verdict"
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
