/**
 * ShapesWorld: a synthetic visual world where hallucination is exactly measurable.
 *
 * <p>Scenes of one to four coloured shapes on a 2x2 grid are generated from seeds ({@link
 * org.rlaifv.core.shapes.SceneGenerator}), rendered to small RGB images ({@link
 * org.rlaifv.core.shapes.SceneRenderer}) and described in a one-fact-per-sentence grammar ({@link
 * org.rlaifv.core.shapes.CaptionGrammar}). The package provides the flawed SFT caption corpus
 * ({@link org.rlaifv.core.shapes.CaptionCorpus}), the labeler's polar-question corpus ({@link
 * org.rlaifv.core.shapes.PolarCorpus}), hallucination metrics ({@link
 * org.rlaifv.core.shapes.ShapesMetrics}), a ground-truth judge ({@link
 * org.rlaifv.core.shapes.ShapesOracleJudge}) and the {@link org.rlaifv.core.shapes.ShapesWorld}
 * facade that ties them together.
 *
 * <p>Everything is deterministic: the same seeds give the same scenes, images and texts. The
 * package needs no ML engine.
 *
 * <p>Parameters and return values are non-null unless a method says otherwise; methods never return
 * null collections.
 */
package org.rlaifv.core.shapes;
