package io.gnnnids.core.mlflow;

import io.gnnnids.core.error.StepFailure;
import io.gnnnids.core.model.Detector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model version a step scores with, loaded: {@code --model-version} or the champion, from the local cache or
 * MLflow. When MLflow cannot be reached, the last champion resolved is used from the cache, with a warning.
 *
 * @param source "mlflow", or "cache (MLflow unreachable)"
 */
public record ResolvedModel(Detector detector, String name, String version, String source) implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResolvedModel.class);
    public static final String FROM_MLFLOW = "mlflow";
    public static final String FROM_CACHE = "cache (MLflow unreachable)";

    /** @param version a version number, or null for the champion */
    public static ResolvedModel resolve(ModelCache cache, String trackingUri, String modelName, String version)
            throws Exception {
        try (Mlflow mlflow = new Mlflow(trackingUri)) {
            ModelVersionInfo v;
            if (version != null) {
                v = mlflow.version(modelName, version);
            } else {
                v = mlflow.versionByAlias(modelName, Mlflow.CHAMPION)
                        .orElseThrow(() -> new StepFailure("model "
                                + modelName + " has no version with the alias '" + Mlflow.CHAMPION + "' in MLflow at "
                                + trackingUri + ": run train first (or pass --model-version)"));
                cache.rememberChampion(modelName, v.version());
            }
            return new ResolvedModel(Detector.load(cache.fetch(mlflow, v)), modelName, v.version(), FROM_MLFLOW);
        } catch (StepFailure e) {
            if (version != null || !(e instanceof MlflowUnreachable)) throw e;
            String cached = cache.lastChampion(modelName)
                    .orElseThrow(() -> new StepFailure(e.getMessage() + "; and no champion of " + modelName
                            + " is cached yet, so nothing can be scored"));
            log.warn("{}; scoring with the last cached champion, version {}", e.getMessage(), cached);
            return new ResolvedModel(Detector.load(cache.dirFor(modelName, cached)), modelName, cached, FROM_CACHE);
        }
    }

    public boolean fromCache() {
        return FROM_CACHE.equals(source);
    }

    @Override
    public void close() {
        detector.close();
    }
}
