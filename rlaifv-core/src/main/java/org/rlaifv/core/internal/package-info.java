/**
 * Helpers the backends share and users should not call: answer-token lookup, right padding,
 * token picking, stop-sequence checks and verdict building. No compatibility promise: these types
 * change with the backends.
 *
 * <p>Parameters and return values are non-null unless a method says otherwise.
 */
package org.rlaifv.core.internal;
