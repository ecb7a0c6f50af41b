package org.rlaifv.spark;

import java.util.Map;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

/**
 * Closes the models an executor opened ({@link ExecutorRoles}) when the executor stops. Enable it
 * with {@code spark.plugins=org.rlaifv.spark.RolesPlugin}; without it the models are closed by a
 * JVM shutdown hook, which runs later and not when an executor is stopped inside a longer-lived
 * JVM (local mode).
 */
public final class RolesPlugin implements SparkPlugin {

  /** The value of {@code spark.plugins} that enables this plugin. */
  public static final String NAME = RolesPlugin.class.getName();

  /** Creates the plugin (Spark instantiates it by name). */
  public RolesPlugin() {}

  /**
   * Returns null: the driver opens no models of its own.
   *
   * @return null
   */
  @Override
  public DriverPlugin driverPlugin() {
    return null;
  }

  /**
   * Returns the executor side, which closes the executor's models on shutdown.
   *
   * @return the executor plugin
   */
  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext ctx, Map<String, String> extraConf) {}

      @Override
      public void shutdown() {
        ExecutorRoles.closeAll();
      }
    };
  }
}
