package io.gnnnids.core.mlflow;

/** One registered model version: its number, the run that produced it and where its artifacts are. */
public record ModelVersionInfo(String name, String version, String runId, String source) {}
