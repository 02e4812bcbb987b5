#!/usr/bin/env bash
# The ETL end to end on this machine, no Docker: a local Kafka, generated traffic, and the step jars run batch by
# batch as the ETL DAG runs them (consume-batch -> hot-write -> cold-write -> commit-offsets) until Kafka is drained.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"

demo="$root/.local/demo"
FLOWS="${DEMO_FLOWS:-200000}"
HOSTS="${DEMO_HOSTS:-300}"
DAYS="${DEMO_DAYS:-2}"
SEED="${DEMO_SEED:-42}"

export KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:${LOCAL_KAFKA_PORT:-9092}"
export NIDS_TOPIC="${NIDS_TOPIC:-zeek-conn-demo}"
export NIDS_GROUP_ID="${NIDS_GROUP_ID:-gnn-nids-etl-demo}"
export NIDS_WORK_DIR="$demo/work"
export NIDS_DUCKDB_PATH="$demo/hot.duckdb"
export NIDS_COLD_URI="$demo/cold"

jar() { echo "$root/tasks/$1/target/$1.jar"; }
say() { printf '\n== %s\n' "$*"; }

for s in replay consume-batch hot-write cold-write commit-offsets; do
  [ -f "$(jar $s)" ] || { echo "missing $(jar $s): run make build first" >&2; exit 1; }
done

say "Starting the local Kafka"
infrastructure/local/kafka.sh start

# A fresh demo each time: new topic name, empty stores.
rm -rf "$demo"; mkdir -p "$demo"
export NIDS_TOPIC="$NIDS_TOPIC-$(date +%s)"

say "Generating $FLOWS flows ($DAYS days, $HOSTS hosts, seed $SEED) into topic $NIDS_TOPIC"
java -jar "$(jar replay)" generate --flows "$FLOWS" --hosts "$HOSTS" --days "$DAYS" --seed "$SEED" >/dev/null

say "Running ETL batches until Kafka is drained"
batches=0
while true; do
  set +e
  m=$(java -jar "$(jar consume-batch)" --max-records 50000 | tail -1); rc=$?
  set -e
  [ $rc -eq 99 ] && break
  [ $rc -eq 0 ] || { echo "consume-batch failed (exit $rc)" >&2; exit $rc; }
  m=$(java -jar "$(jar hot-write)" --manifest "$m" | tail -1)
  m=$(java -jar "$(jar cold-write)" --manifest "$m" | tail -1)
  java -jar "$(jar commit-offsets)" --manifest "$m" >/dev/null
  batches=$((batches + 1))
done

say "Summary"
python3 - "$NIDS_WORK_DIR/batches" "$NIDS_COLD_URI" "$NIDS_DUCKDB_PATH" "$batches" <<'PY'
import json, os, sys, glob, collections
batches_dir, cold, duckdb, nbatches = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
consumed = records = quarantined = inserted = duplicates = cold_rows = 0
reasons = collections.Counter()
for d in sorted(glob.glob(os.path.join(batches_dir, "*"))):
    m = json.load(open(os.path.join(d, "manifest.json")))
    c = m.get("counts", {})
    consumed += c.get("consumed", 0); records += c.get("records", 0); quarantined += c.get("quarantined", 0)
    reasons.update(m.get("reasons", {}))
    if os.path.exists(os.path.join(d, "hot-write.json")):
        h = json.load(open(os.path.join(d, "hot-write.json")))["counts"]
        inserted += h.get("inserted", 0); duplicates += h.get("duplicates", 0)
    if os.path.exists(os.path.join(d, "cold-write.json")):
        cold_rows += json.load(open(os.path.join(d, "cold-write.json")))["counts"].get("rows", 0)
parts = sorted(os.path.basename(p) for p in glob.glob(os.path.join(cold, "date=*")))
print(f"batches committed     {nbatches}")
print(f"records consumed      {consumed}")
print(f"flows stored (hot)    {inserted}   duplicates skipped {duplicates}")
print(f"flows stored (cold)   {cold_rows}  in {len(parts)} daily partitions: {', '.join(parts)}")
print(f"quarantined           {quarantined}  {dict(reasons) if reasons else ''}")
print(f"hot store             {duckdb}")
print(f"cold store            {cold}")
print(f"batch manifests       {batches_dir}")
PY

if [ "${DEMO_KEEP_KAFKA:-0}" != "1" ]; then
  say "Stopping the local Kafka"
  infrastructure/local/kafka.sh stop
fi
