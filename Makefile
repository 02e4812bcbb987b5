# gnn-nids: build, test, benchmark and run the local services.
# `make help` lists the targets.

MVN ?= mvn
PYTHON ?= python3
VENV := .venv
MVN_FLAGS ?= -B -ntp
STEPS := replay consume-batch hot-write cold-write commit-offsets

.PHONY: help demo build venv test bench local-up local-down local-status clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

demo: build ## the ETL end to end: local Kafka, generated traffic, every step until drained, a summary
	infrastructure/local/etl-demo.sh

build: ## build one runnable jar per step: tasks/<step>/target/<step>.jar
	$(MVN) $(MVN_FLAGS) -q -DskipTests package
	@for s in $(STEPS); do ls -1 tasks/$$s/target/$$s.jar; done

venv: $(VENV)/.installed ## create the Python environment (MLflow) in .venv

$(VENV)/.installed: airflow/requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r airflow/requirements.txt
	touch $@

test: venv ## run every test (real Kafka, S3, MLflow and DuckDB; about 15 minutes)
	$(MVN) $(MVN_FLAGS) verify

bench: venv ## print the performance figures as "bench.<name> <value> <unit>" lines
	@mkdir -p .local
	$(MVN) $(MVN_FLAGS) -q -DskipTests package
	$(MVN) $(MVN_FLAGS) verify -Dgroups=bench -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false \
		-DtrimStackTrace=true "-Dsurefire.argLine=-Xmx8g -Dai.djl.offline=true" 2>&1 | tee .local/bench.log | grep -E '^(bench\.|\[ERROR\]|Tests run:.*Fail)' || true
	@echo "--- figures (full log: .local/bench.log)"
	@grep -E '^bench\.' .local/bench.log
	@! grep -q 'BUILD FAILURE' .local/bench.log

local-up: ## start a single-node Kafka (KRaft) on 127.0.0.1:$${LOCAL_KAFKA_PORT:-9092}
	infrastructure/local/kafka.sh start

local-down: ## stop the local services
	infrastructure/local/kafka.sh stop

local-status: ## show whether the local services run
	infrastructure/local/kafka.sh status

clean: ## remove build outputs (keeps .local/ state; local-down first to stop services)
	$(MVN) $(MVN_FLAGS) -q clean
