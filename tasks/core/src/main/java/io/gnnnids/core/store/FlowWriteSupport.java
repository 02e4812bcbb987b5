package io.gnnnids.core.store;

import io.gnnnids.core.flow.Flow;
import io.gnnnids.core.flow.FlowColumn;
import java.util.Map;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Writes {@link Flow} records field by field to parquet-java's record consumer; the schema comes from {@link
 * FlowColumn}.
 */
final class FlowWriteSupport extends WriteSupport<Flow> {

    static final MessageType SCHEMA = schema();

    private static final FlowColumn[] COLUMNS = FlowColumn.values();
    private static final FlowColumn[] REQUIRED =
            FlowColumn.ALL.stream().filter(c -> c.required).toArray(FlowColumn[]::new);
    private RecordConsumer consumer;

    private static MessageType schema() {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (FlowColumn c : FlowColumn.ALL) {
            Repetition rep = c.required ? Repetition.REQUIRED : Repetition.OPTIONAL;
            switch (c.type) {
                case DOUBLE -> b.primitive(PrimitiveTypeName.DOUBLE, rep).named(c.column);
                case STRING ->
                    b.primitive(PrimitiveTypeName.BINARY, rep)
                            .as(LogicalTypeAnnotation.stringType())
                            .named(c.column);
                case INT -> b.primitive(PrimitiveTypeName.INT32, rep).named(c.column);
                case LONG -> b.primitive(PrimitiveTypeName.INT64, rep).named(c.column);
                case BOOLEAN -> b.primitive(PrimitiveTypeName.BOOLEAN, rep).named(c.column);
            }
        }
        return b.named("flow");
    }

    // The Hadoop-typed variant is abstract in WriteSupport; it is never called because the writer is configured
    // with a ParquetConfiguration. Its signature only names the Hadoop class, which the JVM never loads.
    @Override
    public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
        return new WriteContext(SCHEMA, Map.of());
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration) {
        return new WriteContext(SCHEMA, Map.of());
    }

    @Override
    public String getName() {
        return "gnn-nids-flow";
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
        this.consumer = recordConsumer;
    }

    /**
     * Rejects a flow missing a required field. Called before handing the flow to parquet-java, which aborts the
     * whole file on any exception thrown while writing a record.
     */
    static void checkRequired(Flow flow) {
        for (FlowColumn c : REQUIRED) {
            if (c.get(flow) == null) {
                throw new IllegalArgumentException(
                        "flow " + flow.uid() + " has no value for required column " + c.column);
            }
        }
    }

    @Override
    public void write(Flow flow) {
        consumer.startMessage();
        for (int i = 0; i < COLUMNS.length; i++) {
            FlowColumn c = COLUMNS[i];
            Object value = c.get(flow);
            if (value == null) {
                continue; // optional and unset: Parquet stores a null by omitting the field
            }
            consumer.startField(c.column, i);
            switch (c.type) {
                case DOUBLE -> consumer.addDouble((Double) value);
                case STRING -> consumer.addBinary(Binary.fromString((String) value));
                case INT -> consumer.addInteger((Integer) value);
                case LONG -> consumer.addLong((Long) value);
                case BOOLEAN -> consumer.addBoolean((Boolean) value);
            }
            consumer.endField(c.column, i);
        }
        consumer.endMessage();
    }
}
