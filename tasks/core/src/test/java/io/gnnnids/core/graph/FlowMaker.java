package io.gnnnids.core.graph;

import io.gnnnids.core.flow.Flow;

/** Hand-made flows for graph tests: a complete SF TCP flow by default, fields changed one at a time. */
final class FlowMaker {
    double ts = 1_700_000_000.0;
    String uid = "C1";
    String origH = "10.0.0.1";
    int origP = 40_000;
    String respH = "10.0.0.2";
    int respP = 443;
    String proto = "tcp";
    String service = "ssl";
    Double duration = 1.5;
    Long origBytes = 500L;
    Long respBytes = 3_000L;
    String connState = "SF";
    Boolean localOrig = true;
    Boolean localResp = false;
    Long missedBytes = 0L;
    String history = "ShADadFf";
    Long origPkts = 5L;
    Long origIpBytes = 760L;
    Long respPkts = 6L;
    Long respIpBytes = 3_312L;
    String label = null;
    String detailedLabel = null;

    static FlowMaker flow() {
        return new FlowMaker();
    }

    FlowMaker between(String orig, String resp, int port) {
        origH = orig;
        respH = resp;
        respP = port;
        return this;
    }

    FlowMaker at(double t) {
        ts = t;
        return this;
    }

    /** A SYN that nobody answered, as Zeek logs it. */
    FlowMaker unanswered() {
        service = null;
        duration = null;
        origBytes = 0L;
        respBytes = 0L;
        connState = "S0";
        history = "S";
        origPkts = 1L;
        origIpBytes = 44L;
        respPkts = 0L;
        respIpBytes = 0L;
        return this;
    }

    FlowMaker rejected() {
        unanswered();
        duration = 0.001;
        connState = "REJ";
        history = "Sr";
        respPkts = 1L;
        respIpBytes = 40L;
        return this;
    }

    FlowMaker attack(String family) {
        label = Flow.MALICIOUS;
        detailedLabel = family;
        return this;
    }

    FlowMaker benign() {
        label = Flow.BENIGN;
        return this;
    }

    Flow make() {
        return new Flow(
                ts,
                uid,
                origH,
                origP,
                respH,
                respP,
                proto,
                service,
                duration,
                origBytes,
                respBytes,
                connState,
                localOrig,
                localResp,
                missedBytes,
                history,
                origPkts,
                origIpBytes,
                respPkts,
                respIpBytes,
                label,
                detailedLabel);
    }
}
