/**
 * The {@code rlaifv} command line ({@link org.rlaifv.examples.Main}: demo, pretrain, bench,
 * judge-eval, judge, sample, align) and a hand-composed research loop ({@link org.rlaifv.examples.CustomLoopExample}).
 * Parameters and return values are non-null unless documented otherwise.
 */
package org.rlaifv.examples;
