package org.rlaifv.spark;

import org.apache.spark.sql.SparkSession;

/** Spark sessions for the tests: quiet, no UI, the models closed when executors stop. */
final class TestSpark {
  private TestSpark() {}

  static SparkSession local(int cores) {
    return SparkSession.builder()
        .master("local[" + cores + "]")
        .appName("rlaifv-spark-test")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.plugins", RolesPlugin.NAME)
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }
}
