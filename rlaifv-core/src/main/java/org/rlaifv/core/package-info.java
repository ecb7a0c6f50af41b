/**
 * The RLAIF-V pipeline pieces that need no ML engine: the divide-and-conquer {@linkplain
 * org.rlaifv.core.DivideAndConquerScorer scorer} and the {@linkplain
 * org.rlaifv.core.RlaifvPairSelector pair selector} with length balancing.
 *
 * <p>Parameters and return values are non-null unless a method says otherwise; methods never return
 * null collections.
 */
package org.rlaifv.core;
