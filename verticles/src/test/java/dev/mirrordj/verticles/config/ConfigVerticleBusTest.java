package dev.mirrordj.verticles.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mirrordj.config.ConfigSource;
import dev.mirrordj.config.FsMode;
import dev.mirrordj.verticles.Addresses;
import io.vertx.core.Vertx;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The config verticle as its neighbours see it: it publishes the resolved configuration once and
 * answers {@link Addresses#CONFIG_GET} with file, environment and flags merged — flags beat the
 * environment, the environment beats the file, the file beats the defaults.
 */
@ExtendWith(VertxExtension.class)
class ConfigVerticleBusTest {

  @Test
  void answersConfigRequestsWithFileEnvAndFlagsPrecedence(
      @TempDir Path dir, Vertx vertx, VertxTestContext test) throws Exception {
    Path file = dir.resolve("mirrord.json");
    Files.writeString(
        file,
        "{\"target\": \"pod/from-file\", \"agent\": {\"ttl\": 3, \"log_level\": \"debug\","
            + " \"namespace\": \"file-ns\"}, \"feature\": {\"fs\": \"write\"}}");
    Map<String, String> env =
        Map.of(
            "MIRRORD_AGENT_TTL",
            "9",
            "MIRRORD_FILE_MODE",
            "read",
            "MIRRORD_AGENT_NAMESPACE",
            "env-ns");
    Map<String, String> flags = Map.of("MIRRORD_FILE_MODE", "local");
    Checkpoint published = test.checkpoint();
    Checkpoint answered = test.checkpoint();
    vertx
        .eventBus()
        .<ResolvedConfig>consumer(
            Addresses.CONFIG_RESOLVED,
            m -> {
              test.verify(() -> assertEquals(9, m.body().config().agent().ttl()));
              published.flag();
            })
        .completion()
        .compose(
            v ->
                vertx.deployVerticle(
                    new ConfigVerticle(
                        new ConfigRequest(ConfigSource.file(file), env, flags, false))))
        .compose(id -> vertx.eventBus().<ResolvedConfig>request(Addresses.CONFIG_GET, null))
        .onComplete(
            test.succeeding(
                reply ->
                    test.verify(
                        () -> {
                          var c = reply.body().config();
                          assertEquals(FsMode.LOCAL, c.feature().fs().mode(), "flag beats env");
                          assertEquals(9, c.agent().ttl(), "env beats file");
                          assertEquals(
                              "env-ns", c.agent().namespace().orElseThrow(), "env beats file");
                          assertEquals("debug", c.agent().logLevel(), "file beats default");
                          assertEquals(
                              "pod/from-file", c.target().path().orElseThrow().render(), "file");
                          answered.flag();
                        })));
  }
}
