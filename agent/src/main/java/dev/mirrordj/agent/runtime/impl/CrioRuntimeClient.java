package dev.mirrordj.agent.runtime.impl;

import dev.mirrordj.agent.runtime.ContainerInfo;
import dev.mirrordj.agent.runtime.ContainerNotFoundException;
import dev.mirrordj.agent.runtime.ContainerRuntimeException;
import dev.mirrordj.agent.runtime.RuntimeClient;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.net.SocketAddress;
import java.util.List;

/**
 * CRI-O's HTTP info endpoint on its gRPC socket ({@code crio.sock} serves both): {@code GET
 * /containers/{id}} answers {@code {"name":…, "pid":…, "sandbox":…, …}}. CRI-O does not hand out
 * the environment there; the agent reads it from {@code /proc/<pid>/environ}.
 */
public final class CrioRuntimeClient implements RuntimeClient {
  private final HttpClient http;
  private final SocketAddress socket;

  public CrioRuntimeClient(HttpClient http, SocketAddress socket) {
    this.http = http;
    this.socket = socket;
  }

  @Override
  public Future<ContainerInfo> inspect(String containerId) {
    return UnixHttp.getJson(http, socket, "/containers/" + containerId, "crio")
        .map(
            answer -> {
              if (answer.status() == 404) {
                throw new ContainerNotFoundException(
                    "cri-o has no container " + containerId + ": " + answer.message());
              }
              if (answer.status() != 200) {
                throw new ContainerRuntimeException(
                    "cri-o info of "
                        + containerId
                        + " answered HTTP "
                        + answer.status()
                        + ": "
                        + answer.message());
              }
              Object pid = answer.json().getValue("pid");
              if (!(pid instanceof Number n) || n.longValue() <= 0) {
                throw new ContainerNotFoundException(
                    "cri-o container " + containerId + " has no running process (pid " + pid + ")");
              }
              return new ContainerInfo(n.intValue(), List.of());
            });
  }
}
