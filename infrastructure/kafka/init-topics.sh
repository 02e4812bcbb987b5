#!/usr/bin/env bash
# Creates the pipeline's Kafka topics, then exits: the compose service kafka-init runs it once the broker is healthy,
# so that consume-batch finds zeek-conn with all its partitions before replay or a sensor first writes to it. Run
# again, it changes nothing (--if-not-exists; an existing topic keeps its partitions).
#
#   KAFKA_BOOTSTRAP_SERVERS  the brokers
#   NIDS_KAFKA_PROPERTIES    the clients' TLS/SASL settings (a properties file), if any
#   NIDS_TOPIC               the flows' topic (zeek-conn), with NIDS_TOPIC_PARTITIONS partitions (3)
#   NIDS_ALERTS_TOPIC        the incidents' topic (nids-alerts; empty: none): one partition, compacted, as monitor
#                            creates it, since the topic is its own record of what was sent
#   KAFKA_TOPICS             the kafka-topics command (default: the Kafka image's kafka-topics.sh)
set -euo pipefail

read -r -a topics <<<"${KAFKA_TOPICS:-/opt/kafka/bin/kafka-topics.sh}"
topics+=(--bootstrap-server "$KAFKA_BOOTSTRAP_SERVERS")
if [[ -n "${NIDS_KAFKA_PROPERTIES:-}" ]]; then
  topics+=(--command-config "$NIDS_KAFKA_PROPERTIES")
fi

topic="${NIDS_TOPIC:-zeek-conn}"
"${topics[@]}" --create --if-not-exists --topic "$topic" --partitions "${NIDS_TOPIC_PARTITIONS:-3}"
"${topics[@]}" --describe --topic "$topic"
alerts="${NIDS_ALERTS_TOPIC-nids-alerts}"
if [[ -n "$alerts" ]]; then
  "${topics[@]}" --create --if-not-exists --topic "$alerts" --partitions 1 --config cleanup.policy=compact
  "${topics[@]}" --describe --topic "$alerts"
fi
