/**
 * What every step run leaves behind, the contract between a step and whatever runs it next (the DAGs, the next
 * step's {@code --manifest}): a {@link io.gnnnids.core.step.Manifest} of what it read, wrote and counted, collected
 * while the step runs by {@link io.gnnnids.core.step.StepRun}, at the place {@link io.gnnnids.core.step.ManifestPaths}
 * names. The command line side of the contract (options, exit codes, the manifest path as stdout's last line) is
 * {@code cli}'s.
 */
package io.gnnnids.core.step;
