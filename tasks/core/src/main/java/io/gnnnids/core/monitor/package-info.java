/** What the monitor step reports: the hot store's activity and the alerts raised against limits. */
package io.gnnnids.core.monitor;
