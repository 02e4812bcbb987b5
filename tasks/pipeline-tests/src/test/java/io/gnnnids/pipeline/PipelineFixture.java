package io.gnnnids.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Shared set-up and read-back for the pipeline tests: topics, raw messages, DuckDB and cold-store counts. */
final class PipelineFixture {

    private PipelineFixture() {}

    /** Sends raw message bodies as they are (for malformed input a normal producer would never write). */
    static void sendRaw(String bootstrap, String topic, List<byte[]> values) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.serializer", ByteArraySerializer.class.getName());
        p.put("value.serializer", ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (byte[] v : values) producer.send(new ProducerRecord<>(topic, v));
            producer.flush();
        }
    }

    /** The group's committed offsets on the topic (partition -> offset), empty when nothing was committed. */
    static Map<Integer, Long> committed(String bootstrap, String topic, String group) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("group.id", group);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p)) {
            Set<TopicPartition> parts = c.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition()))
                    .collect(Collectors.toSet());
            Map<TopicPartition, OffsetAndMetadata> m = c.committed(parts);
            return m.entrySet().stream()
                    .filter(e -> e.getValue() != null)
                    .collect(Collectors.toMap(
                            e -> e.getKey().partition(), e -> e.getValue().offset()));
        }
    }

    static long sum(Map<Integer, Long> offsets) {
        return offsets.values().stream().mapToLong(Long::longValue).sum();
    }

    /** {rows, distinct uids} of the hot table. */
    static long[] hotCounts(Path duckdb) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + duckdb.toAbsolutePath());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT uid) FROM flows")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** {rows, distinct uids} over every Parquet object below a local cold store folder. */
    static long[] coldCounts(Path coldDir) throws SQLException, IOException {
        if (!Files.isDirectory(coldDir)) return new long[] {0, 0};
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*), count(DISTINCT uid) FROM read_parquet('"
                        + coldDir.toAbsolutePath() + "/date=*/*.parquet')")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2)};
        }
    }

    /** Bytes of every file below a folder. */
    static long sizeOf(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
    }

    static void assertExactlyOnce(long expectedFlows, Path duckdb, Path coldDir) throws Exception {
        long[] hot = hotCounts(duckdb);
        long[] cold = coldCounts(coldDir);
        assertEquals(expectedFlows, hot[0], "flows in DuckDB");
        assertEquals(expectedFlows, hot[1], "distinct uids in DuckDB");
        assertEquals(expectedFlows, cold[0], "flows in the cold store");
        assertEquals(expectedFlows, cold[1], "distinct uids in the cold store");
    }
}
