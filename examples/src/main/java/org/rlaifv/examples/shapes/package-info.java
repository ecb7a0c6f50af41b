/**
 * The ShapesWorld demo: model sizes and locations, greedy evaluation, validation-based checkpoint
 * selection, the report and its chart. Parameters and return values are non-null unless
 * documented otherwise.
 */
package org.rlaifv.examples.shapes;
