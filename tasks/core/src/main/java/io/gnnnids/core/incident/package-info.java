/** Incidents: a host's flagged flows grouped in time, the unit an operator works through. */
package io.gnnnids.core.incident;
