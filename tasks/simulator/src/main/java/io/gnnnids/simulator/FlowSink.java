package io.gnnnids.simulator;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.ZeekJson;
import io.gnnnids.core.kafka.FlowProducer;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where replayed traffic goes: a Kafka topic (one Zeek JSON record per message) or a JSON-lines file. */
public interface FlowSink extends AutoCloseable {

    void accept(Flow flow) throws IOException;

    /** Where the flows went, for logs and the manifest. */
    String describe();

    @Override
    void close() throws IOException;

    static FlowSink kafka(String bootstrapServers, String topic) {
        FlowProducer producer = new FlowProducer(bootstrapServers, topic);
        return new FlowSink() {
            @Override
            public void accept(Flow flow) {
                producer.send(flow.uid().getBytes(StandardCharsets.UTF_8), ZeekJson.toJson(flow));
            }

            @Override
            public String describe() {
                return "kafka://" + bootstrapServers + "/" + topic;
            }

            @Override
            public void close() {
                producer.close();
            }
        };
    }

    static FlowSink jsonLines(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        return new FlowSink() {
            @Override
            public void accept(Flow flow) throws IOException {
                ZeekJson.write(flow, out);
                out.write('\n');
            }

            @Override
            public String describe() {
                return file.toAbsolutePath().toString();
            }

            @Override
            public void close() throws IOException {
                out.close();
            }
        };
    }
}
