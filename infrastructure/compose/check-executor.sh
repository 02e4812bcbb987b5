#!/usr/bin/env bash
# Before `make up`: Airflow's executor and the compose profile `celery` must go together. CeleryExecutor without the
# profile has no broker and no worker, so every task would wait in its queue; the profile's workers beside
# LocalExecutor would never get a task (they refuse to start). Both come from .env: COMPOSE_PROFILES=celery and
# AIRFLOW_EXECUTOR=CeleryExecutor. With the profile, the broker needs REDIS_PASSWORD too: letters, digits and . _ ~ -,
# which the broker's URL takes as they are. Exits 0 when all is set, 2 otherwise, saying what to set.
#
#   COMPOSE   the compose command (default: docker compose)
set -euo pipefail

read -r -a compose <<<"${COMPOSE:-docker compose}"

# The enabled services, and the executor the Airflow services were given (the same for all of them).
services="$("${compose[@]}" config --services)"
config="$("${compose[@]}" config)"
setting() { sed -n "s/^ *$1: *//p" <<<"$config" | tr -d "\"'" | sort -u | paste -sd ' '; }
executor="$(setting AIRFLOW__CORE__EXECUTOR)"

profile=off
grep -qx 'airflow-worker' <<<"$services" && profile=on
celery=no
[[ "$executor" == *CeleryExecutor* ]] && celery=yes

case "$profile/$celery" in
  on/no)
    echo "make up: the profile celery runs Celery workers, but Airflow's executor is ${executor:-unset}: set" \
      "AIRFLOW_EXECUTOR=CeleryExecutor in .env, or take celery out of COMPOSE_PROFILES"
    exit 2
    ;;
  off/yes)
    echo "make up: AIRFLOW_EXECUTOR=$executor needs the profile celery (its broker and workers): set" \
      "COMPOSE_PROFILES=celery in .env, or unset AIRFLOW_EXECUTOR"
    exit 2
    ;;
esac

if [[ $profile == on && ! "$(setting AIRFLOW__CELERY__BROKER_URL)" =~ ^redis://:[A-Za-z0-9._~-]+@[^@\ ]*$ ]]; then
  echo "make up: the profile celery's Redis needs a password: set REDIS_PASSWORD in .env to letters and digits" \
    "(openssl rand -hex 24)"
  exit 2
fi
