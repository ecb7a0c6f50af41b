/**
 * The feedback-collection benchmark run by {@code rlaifv bench --spark}: not part of the API.
 *
 * <p>Parameters and return values are non-null unless a method says otherwise.
 */
package org.rlaifv.spark.internal.bench;
