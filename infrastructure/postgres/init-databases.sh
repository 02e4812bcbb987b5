#!/usr/bin/env bash
# Runs once, when the Postgres volume is first created: one database for Airflow's metadata, one for MLflow's
# tracking store and model registry, both owned by the POSTGRES_USER from .env.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres <<SQL
CREATE DATABASE airflow OWNER "$POSTGRES_USER";
CREATE DATABASE mlflow OWNER "$POSTGRES_USER";
SQL
