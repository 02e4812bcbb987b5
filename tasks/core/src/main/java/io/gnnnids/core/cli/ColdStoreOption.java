package io.gnnnids.core.cli;

import io.gnnnids.core.error.UsageError;
import picocli.CommandLine.Option;

/** --cold-uri: the cold store of every step that reads or writes it. */
public class ColdStoreOption {

    @Option(
            names = "--cold-uri",
            defaultValue = "${env:NIDS_COLD_URI}",
            description = "Cold store: a path, file:///path or s3://bucket/prefix (env NIDS_COLD_URI). "
                    + "S3 uses AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION.")
    String coldUri;

    /** The cold store's URI; a usage error when neither the option nor the variable gives one. */
    public String uri() {
        return UsageError.require(coldUri, "--cold-uri", "NIDS_COLD_URI");
    }
}
