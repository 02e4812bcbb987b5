package io.gnnnids.core.cli;

import io.gnnnids.core.error.UsageError;
import picocli.CommandLine.Option;

/** The options of the steps that use the model registry: the MLflow server and the registered model's name. */
public class ModelRegistryOptions {

    @Option(
            names = "--tracking-uri",
            defaultValue = "${env:MLFLOW_TRACKING_URI}",
            description = "MLflow tracking server (env MLFLOW_TRACKING_URI).")
    String trackingUri;

    @Option(
            names = "--model-name",
            defaultValue = "${env:NIDS_MODEL_NAME:-gnn-nids-binary}",
            description = "Registered model name (env NIDS_MODEL_NAME, default ${DEFAULT-VALUE}).")
    String modelName;

    /** The tracking URI; a usage error when neither the option nor the variable gives one. */
    public String trackingUri() {
        return UsageError.require(trackingUri, "--tracking-uri", "MLFLOW_TRACKING_URI");
    }

    public String modelName() {
        return modelName;
    }
}
