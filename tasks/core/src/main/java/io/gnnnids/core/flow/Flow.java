package io.gnnnids.core.flow;

/**
 * One Zeek conn.log record, typed as Zeek defines it. Fields Zeek leaves unset ("-" or absent) are null.
 * {@code label} is "benign" or "malicious" (normalised to lower case) and {@code detailedLabel} the attack
 * family, both null when the record carries no ground truth.
 */
public record Flow(
        double ts,
        String uid,
        String origH,
        int origP,
        String respH,
        int respP,
        String proto,
        String service,
        Double duration,
        Long origBytes,
        Long respBytes,
        String connState,
        Boolean localOrig,
        Boolean localResp,
        Long missedBytes,
        String history,
        Long origPkts,
        Long origIpBytes,
        Long respPkts,
        Long respIpBytes,
        String label,
        String detailedLabel) {

    public static final String BENIGN = "benign";
    public static final String MALICIOUS = "malicious";

    /** The same flow at another time (replay --rebase-time). */
    public Flow withTs(double newTs) {
        return new Flow(
                newTs,
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

    /** The same flow with other ground truth (null for none). */
    public Flow withLabel(String newLabel, String newDetailedLabel) {
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
                newLabel,
                newDetailedLabel);
    }

    /** True when the record carries ground truth. */
    public boolean labelled() {
        return label != null;
    }
}
