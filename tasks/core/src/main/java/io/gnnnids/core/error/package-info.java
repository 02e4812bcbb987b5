/**
 * The errors a step ends with, each meaning one exit code (see {@code cli.Cli}): {@link
 * io.gnnnids.core.error.StepFailure} (1, retried), {@link io.gnnnids.core.error.UsageError} (2, bad usage or
 * configuration), {@link io.gnnnids.core.error.Refused} (3, the result refused) and {@link
 * io.gnnnids.core.error.NothingToDo} (99, skipped). Every package may throw them; none of them depends on anything.
 */
package io.gnnnids.core.error;
