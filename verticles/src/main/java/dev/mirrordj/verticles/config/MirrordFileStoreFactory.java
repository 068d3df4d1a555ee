package dev.mirrordj.verticles.config;

import dev.mirrordj.config.ConfigResolver;
import dev.mirrordj.config.ConfigSource;
import dev.mirrordj.config.Problems;
import dev.mirrordj.config.load.ConfigFormat;
import io.vertx.config.spi.ConfigStore;
import io.vertx.config.spi.ConfigStoreFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Map;

/**
 * vertx-config store type {@value #TYPE}: reads the configuration document, renders it as a
 * template and parses it by extension, with {@link ConfigResolver#loadDocument} (the resolver's own
 * stage 1). Configuration: {@code path} (a file) or {@code text} + {@code format} + {@code origin}
 * (e.g. stdin), and {@code env} (the environment the template's {@code get_env} and {@code
 * MIRRORD_CONFIG_FILE} see; the process environment when absent). Produces {@code {"file":
 * {"document": {...}, "errors": [...]}}}; load errors travel with the document so that all errors
 * are reported together.
 */
public final class MirrordFileStoreFactory implements ConfigStoreFactory {
  public static final String TYPE = "mirrord-file";

  @Override
  public String name() {
    return TYPE;
  }

  @Override
  public ConfigStore create(Vertx vertx, JsonObject configuration) {
    return new ConfigStore() {
      @Override
      public Future<Buffer> get() {
        return vertx.executeBlocking(() -> load(configuration).toBuffer(), false);
      }

      @Override
      public Future<Void> close() {
        return Future.succeededFuture();
      }
    };
  }

  /** Store configuration for a source and environment. */
  public static JsonObject storeConfig(ConfigSource source, Map<String, String> env) {
    JsonObject c = new JsonObject().put("env", StoreJson.fromStrings(env));
    if (source instanceof ConfigSource.File f) {
      c.put("path", f.path().toString());
    } else if (source instanceof ConfigSource.Text t) {
      c.put("text", t.text()).put("format", t.format().name()).put("origin", t.origin());
    }
    return c;
  }

  private static JsonObject load(JsonObject configuration) {
    Map<String, String> env =
        configuration.containsKey("env")
            ? StoreJson.strings(configuration.getJsonObject("env"))
            : System.getenv();
    ConfigSource source;
    if (configuration.getString("path") != null) {
      source = ConfigSource.file(Path.of(configuration.getString("path")));
    } else if (configuration.getString("text") != null) {
      source =
          new ConfigSource.Text(
              configuration.getString("text"),
              ConfigFormat.valueOf(configuration.getString("format", "JSON")),
              configuration.getString("origin", "<text>"));
    } else {
      source = ConfigSource.none();
    }
    Problems problems = new Problems();
    var tree =
        ConfigResolver.loadDocument(ConfigResolver.effectiveSource(source, env), env, problems);
    return new JsonObject()
        .put(
            "file",
            new JsonObject()
                .put("document", StoreJson.toVertx(tree))
                .put("errors", StoreJson.errors(problems.errors())));
  }
}
