package dev.mirrordj.verticles.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mirrordj.verticles.proxy.remote.RemoteTarget;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * feature.fs.readonly_file_buffer reaches the remote target the proxy serves files from: the proxy
 * asks its target for one that fetches in pieces of that size (the agent side of it is tested in
 * the agent's FetchChunkSizeTest).
 */
class ReadBufferSettingTest {
  @Test
  void theProxyFetchesRemoteFilesInTheConfiguredPieces() {
    List<Object> asked = new CopyOnWriteArrayList<>();
    RemoteTarget target =
        (RemoteTarget)
            Proxy.newProxyInstance(
                RemoteTarget.class.getClassLoader(),
                new Class<?>[] {RemoteTarget.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("withReadBuffer")) {
                    asked.add(args[0]);
                    return proxy;
                  }
                  throw new AssertionError("not used here: " + method.getName());
                });
    new ProxyVerticle(
        PolicyTest.BASE.withFsMapping(Map.of(), 256_000), target, Path.of("/tmp/unused"));
    assertEquals(List.of(256_000L), asked);
  }
}
