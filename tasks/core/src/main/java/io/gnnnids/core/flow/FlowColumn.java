package io.gnnnids.core.flow;

import java.util.List;

/**
 * The flow schema in one place: each column's Zeek JSON key, its name in DuckDB and Parquet, and its type.
 * Readers, writers, the hot table and the cold files all iterate this list, so a column is added here once.
 */
public enum FlowColumn {
    TS("ts", "ts", Type.DOUBLE, true),
    UID("uid", "uid", Type.STRING, true),
    ORIG_H("id.orig_h", "orig_h", Type.STRING, true),
    ORIG_P("id.orig_p", "orig_p", Type.INT, true),
    RESP_H("id.resp_h", "resp_h", Type.STRING, true),
    RESP_P("id.resp_p", "resp_p", Type.INT, true),
    PROTO("proto", "proto", Type.STRING, true),
    SERVICE("service", "service", Type.STRING, false),
    DURATION("duration", "duration", Type.DOUBLE, false),
    ORIG_BYTES("orig_bytes", "orig_bytes", Type.LONG, false),
    RESP_BYTES("resp_bytes", "resp_bytes", Type.LONG, false),
    CONN_STATE("conn_state", "conn_state", Type.STRING, false),
    LOCAL_ORIG("local_orig", "local_orig", Type.BOOLEAN, false),
    LOCAL_RESP("local_resp", "local_resp", Type.BOOLEAN, false),
    MISSED_BYTES("missed_bytes", "missed_bytes", Type.LONG, false),
    HISTORY("history", "history", Type.STRING, false),
    ORIG_PKTS("orig_pkts", "orig_pkts", Type.LONG, false),
    ORIG_IP_BYTES("orig_ip_bytes", "orig_ip_bytes", Type.LONG, false),
    RESP_PKTS("resp_pkts", "resp_pkts", Type.LONG, false),
    RESP_IP_BYTES("resp_ip_bytes", "resp_ip_bytes", Type.LONG, false),
    LABEL("label", "label", Type.STRING, false),
    DETAILED_LABEL("detailed_label", "detailed_label", Type.STRING, false);

    /** Column types, with their DuckDB spelling. */
    public enum Type {
        DOUBLE("DOUBLE"),
        STRING("VARCHAR"),
        INT("INTEGER"),
        LONG("BIGINT"),
        BOOLEAN("BOOLEAN");

        public final String sql;

        Type(String sql) {
            this.sql = sql;
        }
    }

    public static final List<FlowColumn> ALL = List.of(values());

    /** The key Zeek writes in JSON logs and the #fields header. */
    public final String zeekName;
    /** The column name in DuckDB and Parquet (no dots, so SQL needs no quoting). */
    public final String column;

    public final Type type;
    public final boolean required;

    FlowColumn(String zeekName, String column, Type type, boolean required) {
        this.zeekName = zeekName;
        this.column = column;
        this.type = type;
        this.required = required;
    }

    /** The column's value in a flow, boxed; null when unset. */
    public Object get(Flow f) {
        return switch (this) {
            case TS -> f.ts();
            case UID -> f.uid();
            case ORIG_H -> f.origH();
            case ORIG_P -> f.origP();
            case RESP_H -> f.respH();
            case RESP_P -> f.respP();
            case PROTO -> f.proto();
            case SERVICE -> f.service();
            case DURATION -> f.duration();
            case ORIG_BYTES -> f.origBytes();
            case RESP_BYTES -> f.respBytes();
            case CONN_STATE -> f.connState();
            case LOCAL_ORIG -> f.localOrig();
            case LOCAL_RESP -> f.localResp();
            case MISSED_BYTES -> f.missedBytes();
            case HISTORY -> f.history();
            case ORIG_PKTS -> f.origPkts();
            case ORIG_IP_BYTES -> f.origIpBytes();
            case RESP_PKTS -> f.respPkts();
            case RESP_IP_BYTES -> f.respIpBytes();
            case LABEL -> f.label();
            case DETAILED_LABEL -> f.detailedLabel();
        };
    }

    /** "ts DOUBLE, uid VARCHAR, ..." for CREATE TABLE statements. */
    public static String sqlColumnDefinitions() {
        StringBuilder sb = new StringBuilder();
        for (FlowColumn c : ALL) {
            if (sb.length() > 0) sb.append(", ");
            sb.append(c.column).append(' ').append(c.type.sql);
        }
        return sb.toString();
    }

    /** "ts, uid, ..." for SELECT and INSERT lists. */
    public static String sqlColumnList() {
        return sqlColumnList(null);
    }

    /** "t.ts, t.uid, ..." for a SELECT that names the table {@code alias} (none when null). */
    public static String sqlColumnList(String alias) {
        StringBuilder sb = new StringBuilder();
        for (FlowColumn c : ALL) {
            if (sb.length() > 0) sb.append(", ");
            if (alias != null) sb.append(alias).append('.');
            sb.append(c.column);
        }
        return sb.toString();
    }
}
