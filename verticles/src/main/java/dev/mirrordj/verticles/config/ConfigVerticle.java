package dev.mirrordj.verticles.config;

import dev.mirrordj.config.ConfigCodec;
import dev.mirrordj.config.InvalidConfigException;
import dev.mirrordj.verticles.Addresses;
import dev.mirrordj.verticles.bus.Codecs;
import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves the session's configuration once, with vertx-config: store {@code mirrord-file} (read,
 * template, parse), store {@code mirrord-env} (MIRRORD_* variables), a {@code json} store with the
 * command-line overrides, and a processor running the config module's resolver on the merged
 * result. On success it publishes a {@link ResolvedConfig} on {@link Addresses#CONFIG_RESOLVED} and
 * answers requests on {@link Addresses#CONFIG_GET}; on errors its deployment fails with an {@link
 * InvalidConfigException} listing all of them.
 */
public final class ConfigVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(ConfigVerticle.class);

  private final ConfigRequest request;
  private ConfigRetriever retriever;
  private MessageConsumer<Object> getConsumer;
  private volatile ResolvedConfig resolved;

  public ConfigVerticle(ConfigRequest request) {
    this.request = request;
  }

  /** The resolved configuration once started (null before). */
  public ResolvedConfig resolved() {
    return resolved;
  }

  @Override
  public Future<?> start() {
    Codecs.register(vertx);
    ConfigRetrieverOptions options =
        new ConfigRetrieverOptions()
            .setIncludeDefaultStores(false)
            .setScanPeriod(-1)
            .addStore(
                new ConfigStoreOptions()
                    .setType(MirrordFileStoreFactory.TYPE)
                    .setConfig(
                        MirrordFileStoreFactory.storeConfig(request.source(), request.env())))
            .addStore(
                new ConfigStoreOptions()
                    .setType(MirrordEnvStoreFactory.TYPE)
                    .setConfig(
                        new JsonObject().put("variables", StoreJson.fromStrings(request.env()))))
            .addStore(
                new ConfigStoreOptions()
                    .setType("json")
                    .setConfig(
                        new JsonObject()
                            .put("cli", StoreJson.fromStrings(request.cliOverrides()))));
    retriever = ConfigRetriever.create(vertx, options);
    retriever.setConfigurationProcessor(new ResolutionProcessor(request.ide()));
    return retriever.getConfig().compose(this::publish);
  }

  private Future<Void> publish(JsonObject result) {
    List<String> warnings = new ArrayList<>();
    result.getJsonArray("warnings").forEach(w -> warnings.add((String) w));
    var errors = StoreJson.errors(result.getJsonArray("errors"));
    if (!errors.isEmpty()) {
      return Future.failedFuture(new InvalidConfigException(errors));
    }
    try {
      resolved =
          new ResolvedConfig(
              ConfigCodec.fromJson(result.getJsonObject("config").encode()), warnings);
    } catch (InvalidConfigException e) {
      return Future.failedFuture(e);
    }
    // debug only: whoever shows the configuration to the user (progress, IDE) reads the warnings
    warnings.forEach(w -> LOG.debug("config warning: {}", w));
    getConsumer = vertx.eventBus().consumer(Addresses.CONFIG_GET, msg -> msg.reply(resolved));
    return getConsumer
        .completion()
        .onSuccess(
            v -> {
              vertx.eventBus().publish(Addresses.CONFIG_RESOLVED, resolved);
              LOG.debug("config: resolved and published on {}", Addresses.CONFIG_RESOLVED);
            });
  }

  @Override
  public Future<?> stop() {
    Future<Void> unregister =
        getConsumer == null ? Future.succeededFuture() : getConsumer.unregister();
    return unregister.compose(
        v -> retriever == null ? Future.succeededFuture() : retriever.close());
  }
}
