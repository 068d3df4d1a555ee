package dev.mirrordj.verticles.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mirrordj.config.ConfigResolver;
import dev.mirrordj.config.ConfigSource;
import dev.mirrordj.config.FsMode;
import dev.mirrordj.config.IncomingMode;
import dev.mirrordj.config.InvalidConfigException;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.ResolveResult;
import dev.mirrordj.config.load.ConfigFormat;
import dev.mirrordj.verticles.Addresses;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigVerticleTest {
  private static final String FILE =
      """
      {
        "target": "{{ get_env(name="TARGET", default="pod/fallback") }}",
        "agent": {"ttl": 3, "log_level": "debug"},
        "feature": {"fs": "write", "network": {"incoming": "steal", "dns": false},
                    "env": {"include": "A", "exclude": "B"}}
      }
      """;

  private Vertx vertx;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  private ResolvedConfig deploy(ConfigRequest request) throws Exception {
    ConfigVerticle verticle = new ConfigVerticle(request);
    await(vertx.deployVerticle(verticle));
    return verticle.resolved();
  }

  @Test
  void resolvesExactlyLikeTheResolverWithPrecedence(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("mirrord.json");
    Files.writeString(file, FILE);
    Map<String, String> env =
        Map.of(
            "TARGET",
            "deployment/api",
            "MIRRORD_AGENT_TTL",
            "9",
            "MIRRORD_FILE_MODE",
            "read",
            "UNRELATED",
            "x");
    Map<String, String> cli = Map.of("MIRRORD_FILE_MODE", "local");
    ResolvedConfig resolved = deploy(new ConfigRequest(ConfigSource.file(file), env, cli, false));
    MirrordConfig c = resolved.config();
    assertEquals(
        "deployment/api", c.target().path().orElseThrow().render(), "template saw the environment");
    assertEquals(9, c.agent().ttl(), "env beats file");
    assertEquals("debug", c.agent().logLevel(), "file beats default");
    assertEquals(FsMode.LOCAL, c.feature().fs().mode(), "CLI beats env");
    assertEquals(IncomingMode.STEAL, c.feature().network().incoming().mode());
    ResolveResult direct = ConfigResolver.resolve(ConfigSource.file(file), env, cli, false);
    assertEquals(direct.config().orElseThrow(), c, "one resolution path for CLI and verticle");
    assertEquals(direct.warnings(), resolved.warnings());
  }

  @Test
  void publishesAndAnswersRequests() throws Exception {
    CompletableFuture<ResolvedConfig> published = new CompletableFuture<>();
    var consumer =
        vertx
            .eventBus()
            .<ResolvedConfig>consumer(Addresses.CONFIG_RESOLVED, m -> published.complete(m.body()));
    await(consumer.completion());
    ResolvedConfig resolved =
        deploy(
            new ConfigRequest(
                new ConfigSource.Text(
                    "target: pod/yaml\nagent:\n  ttl: 4\n", ConfigFormat.YAML, "<test>"),
                Map.of(),
                Map.of(),
                false));
    assertEquals(resolved, published.get(30, TimeUnit.SECONDS));
    ResolvedConfig replied =
        await(vertx.eventBus().<ResolvedConfig>request(Addresses.CONFIG_GET, "get")).body();
    assertEquals(resolved, replied);
    assertEquals(4, replied.config().agent().ttl());
  }

  @Test
  void configFileVariableAndNoDocument(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("m.toml");
    Files.writeString(file, "target = \"pod/toml\"\n");
    ResolvedConfig viaVariable =
        deploy(
            new ConfigRequest(
                ConfigSource.none(),
                Map.of("MIRRORD_CONFIG_FILE", file.toString()),
                Map.of(),
                false));
    assertEquals(
        Optional.of("pod/toml"), viaVariable.config().target().path().map(p -> p.render()));
  }

  @Test
  void invalidConfigurationFailsDeploymentWithAllErrors() {
    ConfigRequest bad =
        new ConfigRequest(
            new ConfigSource.Text(
                "{\"target\": \"nope\", \"agent\": {\"ttl\": -2}}", ConfigFormat.JSON, "<test>"),
            Map.of("MIRRORD_REMOTE_DNS", "perhaps"),
            Map.of(),
            false);
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> deploy(bad));
    InvalidConfigException invalid = assertInstanceOf(InvalidConfigException.class, e.getCause());
    assertEquals(3, invalid.errors().size(), invalid.getMessage());
    assertTrue(invalid.getMessage().contains("target.path"), invalid.getMessage());
    assertTrue(
        invalid.getMessage().contains("invalid MIRRORD_REMOTE_DNS value 'perhaps'"),
        invalid.getMessage());
  }

  @Test
  void templateErrorsAreReportedWithTheOtherErrors() {
    ConfigRequest bad =
        new ConfigRequest(
            new ConfigSource.Text(
                "{\n \"target\": \"{{ get_env(name='NOPE_X') }}\"\n}", ConfigFormat.JSON, "<test>"),
            Map.of("MIRRORD_AGENT_TTL", "x"),
            Map.of(),
            false);
    ExecutionException e =
        org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> deploy(bad));
    String message = e.getCause().getMessage();
    assertTrue(
        message.contains("line 2") && message.contains("Environment variable `NOPE_X` not found"),
        message);
    assertTrue(message.contains("invalid MIRRORD_AGENT_TTL value 'x'"), message);
  }

  @Test
  void wireCodecRoundTrips() throws Exception {
    ResolvedConfig resolved =
        deploy(
            new ConfigRequest(
                new ConfigSource.Text(FILE, ConfigFormat.JSON, "<t>"), Map.of(), Map.of(), false));
    ResolvedConfigCodec codec = new ResolvedConfigCodec();
    Buffer buffer = Buffer.buffer().appendString("prefix");
    codec.encodeToWire(buffer, resolved);
    assertEquals(resolved, codec.decodeFromWire(6, buffer));
  }
}
