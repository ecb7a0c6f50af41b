/**
 * jqwik arbitraries for RLAIF-V values ({@link org.rlaifv.testkit.jqwik.RlaifvArbitraries}).
 *
 * <p>Parameters and return values are non-null.
 */
package org.rlaifv.testkit.jqwik;
