package dev.mirrordj.verticles.config;

import dev.mirrordj.config.load.EnvOverrides;
import io.vertx.config.spi.ConfigStore;
import io.vertx.config.spi.ConfigStoreFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * vertx-config store type {@value #TYPE}: the MIRRORD_* variables that override configuration
 * fields ({@link EnvOverrides#variables()}), as raw strings, under {@code {"env": {...}}}. Reads
 * {@code variables} from its configuration when given (tests), otherwise the process environment.
 * (The built-in {@code env} store converts values to numbers and booleans and cannot be faked.)
 */
public final class MirrordEnvStoreFactory implements ConfigStoreFactory {
  public static final String TYPE = "mirrord-env";

  @Override
  public String name() {
    return TYPE;
  }

  @Override
  public ConfigStore create(Vertx vertx, JsonObject configuration) {
    return new ConfigStore() {
      @Override
      public Future<Buffer> get() {
        Map<String, String> all =
            configuration.containsKey("variables")
                ? StoreJson.strings(configuration.getJsonObject("variables"))
                : System.getenv();
        Map<String, String> known = new LinkedHashMap<>();
        for (String name : EnvOverrides.variables()) {
          if (all.containsKey(name)) {
            known.put(name, all.get(name));
          }
        }
        return Future.succeededFuture(
            new JsonObject().put("env", StoreJson.fromStrings(known)).toBuffer());
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
  }
}
