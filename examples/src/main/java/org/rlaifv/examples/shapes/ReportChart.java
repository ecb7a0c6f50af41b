package org.rlaifv.examples.shapes;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Draws the demo's per-iteration CHAIR_i, CHAIR_s and coverage as a PNG line chart. */
final class ReportChart {

  private ReportChart() {}

  static void write(List<ShapesDemo.Row> rows, Path png) {
    double[] x = new double[rows.size()];
    double[] chairI = new double[rows.size()];
    double[] chairS = new double[rows.size()];
    double[] coverage = new double[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      ShapesDemo.Row r = rows.get(i);
      x[i] = r.iteration();
      chairI[i] = r.test().chairI();
      chairS[i] = r.test().chairS();
      coverage[i] = r.test().coverage();
    }
    XYChart chart = new XYChartBuilder().width(720).height(440)
        .title("ShapesWorld RLAIF-V (held-out test scenes, greedy)")
        .xAxisTitle("iteration (0 = SFT policy)").yAxisTitle("rate").build();
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setXAxisDecimalPattern("0");
    chart.addSeries("CHAIR_i", x, chairI).setMarker(SeriesMarkers.CIRCLE);
    chart.addSeries("CHAIR_s", x, chairS).setMarker(SeriesMarkers.SQUARE);
    chart.addSeries("coverage", x, coverage).setMarker(SeriesMarkers.DIAMOND);
    try {
      String base = png.toString();
      if (base.endsWith(".png")) {
        base = base.substring(0, base.length() - 4);
      }
      BitmapEncoder.saveBitmap(chart, base, BitmapEncoder.BitmapFormat.PNG);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + png, e);
    }
  }
}
