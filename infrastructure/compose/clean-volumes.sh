#!/usr/bin/env bash
# The second half of `make clean`: deletes the compose stack's containers and volumes (Kafka's topics, MinIO's cold
# store, archive and models, Postgres's databases, the hot store) only when asked to: the person at the terminal
# answers y, or CONFIRM=yes says so beforehand. Without a terminal and without CONFIRM they stay. On a machine without
# Docker there is nothing to delete.
#
#   COMPOSE   the compose command (default: docker compose)
#   CONFIRM   yes: delete without asking; anything else: keep without asking
set -euo pipefail

read -r -a compose <<<"${COMPOSE:-docker compose}"
command -v "${compose[0]}" >/dev/null 2>&1 || exit 0

answer="${CONFIRM:-}"
if [[ -z "$answer" && -t 0 ]]; then
  read -r -p "Also delete the compose stack and its volumes: Kafka's topics, MinIO's stores and models, Postgres's databases, the hot store? [y/N] " answer || true
fi
case "$answer" in
  y | Y | yes | YES) "${compose[@]}" down --volumes --remove-orphans ;;
  *) echo "make clean: the compose stack's volumes are kept (make clean CONFIRM=yes deletes them)" ;;
esac
