# gnn-nids: build, test, benchmark, run the local services and operate the compose stack.
# `make help` lists the targets.

MVN ?= mvn
PYTHON ?= python3
VENV := .venv
MVN_FLAGS ?= -B -ntp
STEPS := replay consume-batch hot-write cold-write commit-offsets train infer archive monitor evaluate
# The compose stack: Docker Compose v2 (`docker compose`); its files and settings come from .env (COMPOSE_FILE
# adds the docker runner's, COMPOSE_PROFILES=celery with AIRFLOW_EXECUTOR=CeleryExecutor runs Airflow's Celery
# workers), so that every target below sees the same stack.
COMPOSE ?= docker compose
# Lines of each service's log that `make logs` shows before it follows them.
LOGS_TAIL ?= 200
# Seconds `make up` waits for every service to be healthy.
UP_WAIT ?= 600
# How `make verify` runs the replay step: in the Airflow scheduler's container, which has the jars and Kafka's settings.
VERIFY_REPLAY ?= $(COMPOSE) exec -T airflow-scheduler java -jar /opt/gnn-nids/jars/replay.jar

.PHONY: help demo build jars venv lint lint-java lint-line-length lint-scripts test test-dags airflow bench bench-live local-up local-down local-status clean up down status health logs verify

JARS := $(foreach s,$(STEPS),tasks/$(s)/target/$(s).jar)
# Class-data archives of the steps that run every few minutes: their JVMs start in half the time.
ARCHIVES := $(foreach s,consume-batch hot-write cold-write commit-offsets,tasks/$(s)/target/$(s).jsa)
CLASS_ARCHIVES := infrastructure/local/class-archives.sh || echo "make: going on without class-data archives (slower starts)"
# What the jars are built from: `make jars` rebuilds them only when one of these changed.
JAR_SOURCES := $(shell find pom.xml tasks -name target -prune -o -type f \( -name pom.xml -o -path '*/src/main/*' \) -print)

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

demo: venv jars ## the whole pipeline on Airflow: local Kafka + MLflow, 2 days of traffic, ETL, training, inference, a summary
	infrastructure/local/demo.sh

build: ## build one runnable jar per step: tasks/<step>/target/<step>.jar (and the ETL steps' class-data archives)
	$(MVN) $(MVN_FLAGS) -q -DskipTests package
	@$(CLASS_ARCHIVES)
	@for s in $(STEPS); do ls -1 tasks/$$s/target/$$s.jar; done

jars: $(JARS) $(ARCHIVES) ## build the jars if a source changed since they were built

# One Maven run builds every jar (grouped target).
$(JARS) &: $(JAR_SOURCES)
	$(MVN) $(MVN_FLAGS) -q -DskipTests package
	@touch $(JARS)

# An archive belongs to one build of its jar: written again whenever a jar is newer (mvn verify rebuilds them too).
$(ARCHIVES) &: $(JARS)
	@$(CLASS_ARCHIVES)

venv: $(VENV)/.installed ## create the Python environment (Airflow, MLflow, pytest) in .venv

$(VENV)/.installed: airflow/requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r airflow/requirements.txt -r requirements-dev.txt
	touch $@

# Every shell script: *.sh and the CI entry point.
SHELL_SCRIPTS := .ci/run $(shell find . \( -name .venv -o -name .local -o -name target -o -name .git \) -prune -o -name '*.sh' -print)

lint: lint-java lint-scripts ## check the style of the Java code, the Python code and the shell scripts

lint-java: lint-line-length ## Java: palantir-java-format through Spotless (`mvn spotless:apply` formats the code)
	$(MVN) $(MVN_FLAGS) -q spotless:check

# The formatter wraps code at 120 characters but leaves strings and comments as they are.
lint-line-length: ## Java: no line over 120 characters
	@long=$$(find tasks -name target -prune -o -name '*.java' -print | xargs -r grep -HnE '^.{121,}' || true); \
	if [ -n "$$long" ]; then echo "$$long"; echo "lint: Java lines over 120 characters: split the string or comment"; exit 1; fi

lint-scripts: venv ## Python: ruff (DAGs, tests, plugin, scripts; Airflow's AIR rules included); shell: shellcheck
	$(VENV)/bin/ruff check .
	$(VENV)/bin/shellcheck $(SHELL_SCRIPTS)

test: venv lint ## the style checks, then every test: Java (real Kafka, S3, MLflow, DuckDB), then the DAGs end to end (about 40 minutes on 2 cores)
	$(MVN) $(MVN_FLAGS) verify
	$(VENV)/bin/pytest dags/tests

test-dags: venv ## run the DAG tests only (the end-to-end one needs `make build`)
	$(VENV)/bin/pytest dags/tests

# The script itself is make's child (exec), so that make's SIGTERM reaches it and it stops what it started.
airflow: venv jars ## the live pipeline: Kafka, MLflow, Airflow (http://127.0.0.1:8080, user admin) and RATE flows/s of traffic (default 200, 0 none); Ctrl-C stops all
	@exec infrastructure/local/airflow.sh

bench: venv ## print the performance figures as "bench.<name> <value> <unit>" lines
	@mkdir -p .local
	$(MVN) $(MVN_FLAGS) -q -DskipTests package
	@$(CLASS_ARCHIVES)
	$(MVN) $(MVN_FLAGS) verify -Dshade.skip=true -Dgroups=bench -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false \
		-DtrimStackTrace=true "-Dsurefire.argLine=-Xmx8g -Dai.djl.offline=true" 2>&1 | tee .local/bench.log | grep -E '^(bench\.|\[ERROR\]|Tests run:.*Fail)' || true
	@echo "--- figures (full log: .local/bench.log)"
	@grep -E '^bench\.' .local/bench.log
	@! grep -q 'BUILD FAILURE' .local/bench.log

bench-live: venv jars ## the live pipeline under load: LIVE_RATE flows/s (20000) for LIVE_MINUTES (10) on Airflow's scheduler; prints bench.live.* figures
	@$(VENV)/bin/python infrastructure/local/bench_live.py

local-up: ## start Kafka (KRaft, 127.0.0.1:9092) and MLflow (http://127.0.0.1:5000); ports: LOCAL_KAFKA_PORT, LOCAL_MLFLOW_PORT
	infrastructure/local/kafka.sh start
	infrastructure/local/mlflow.sh start

local-down: ## stop the local services
	infrastructure/local/mlflow.sh stop
	infrastructure/local/kafka.sh stop

local-status: ## show whether the local services run (fails when one does not)
	@rc=0; infrastructure/local/kafka.sh status || rc=$$?; infrastructure/local/mlflow.sh status || rc=$$?; exit $$rc

# The stack refuses to start on the example's secrets, or with an executor that its profiles do not run.
up: ## the compose stack: build the images, start every service with the secrets of .env, wait until all are healthy
	@[ -f .env ] || { echo "make up: no .env: cp .env.example .env, then replace every CHANGE value"; exit 2; }
	@! grep -q '=CHANGE' .env || { echo "make up: .env still holds example values: replace every CHANGE value"; exit 2; }
	@COMPOSE="$(COMPOSE)" infrastructure/compose/check-executor.sh
	$(COMPOSE) up -d --build
	@COMPOSE="$(COMPOSE)" HEALTH_WAIT=$(UP_WAIT) infrastructure/compose/health.sh

down: ## stop the compose stack and remove its containers; the volumes stay (`make clean` asks to delete them)
	$(COMPOSE) down

status: ## the compose stack's containers: state, health, ports
	$(COMPOSE) ps --all

health: ## whether every compose service is healthy and every init service done (fails when one is not)
	@COMPOSE="$(COMPOSE)" infrastructure/compose/health.sh

logs: ## follow the compose stack's logs, from the last LOGS_TAIL (200) lines of each; `make logs-<service>`: one service's
	$(COMPOSE) logs --follow --tail=$(LOGS_TAIL)

logs-%:
	$(COMPOSE) logs --follow --tail=$(LOGS_TAIL) $*

verify: ## in the running stack: replay generated flows, run the DAGs through Airflow's REST API, check they were stored and scored
	@VERIFY_REPLAY="$(VERIFY_REPLAY)" $(PYTHON) infrastructure/compose/verify.py

clean: ## remove build outputs (keeps .local/; local-down first to stop services); asks before deleting the compose stack's volumes
	$(MVN) $(MVN_FLAGS) -q clean
	@COMPOSE="$(COMPOSE)" CONFIRM="$(CONFIRM)" infrastructure/compose/clean-volumes.sh
