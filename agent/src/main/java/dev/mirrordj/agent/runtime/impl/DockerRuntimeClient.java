package dev.mirrordj.agent.runtime.impl;

import dev.mirrordj.agent.runtime.ContainerInfo;
import dev.mirrordj.agent.runtime.ContainerNotFoundException;
import dev.mirrordj.agent.runtime.ContainerRuntimeException;
import dev.mirrordj.agent.runtime.RuntimeClient;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;

/**
 * The Docker Engine API over its unix socket: {@code GET /containers/{id}/json} ("inspect") answers
 * with {@code State.Pid} (0 when the container is not running) and {@code Config.Env}.
 */
public final class DockerRuntimeClient implements RuntimeClient {
  private final HttpClient http;
  private final SocketAddress socket;

  public DockerRuntimeClient(HttpClient http, SocketAddress socket) {
    this.http = http;
    this.socket = socket;
  }

  @Override
  public Future<ContainerInfo> inspect(String containerId) {
    return UnixHttp.getJson(http, socket, "/containers/" + containerId + "/json", "docker")
        .map(json -> toInfo(containerId, json));
  }

  private static ContainerInfo toInfo(String containerId, UnixHttp.Answer answer) {
    if (answer.status() == 404) {
      throw new ContainerNotFoundException(
          "docker has no container " + containerId + ": " + answer.message());
    }
    if (answer.status() != 200) {
      throw new ContainerRuntimeException(
          "docker inspect of "
              + containerId
              + " answered HTTP "
              + answer.status()
              + ": "
              + answer.message());
    }
    JsonObject body = answer.json();
    JsonObject state = body.getJsonObject("State", new JsonObject());
    int pid = state.getInteger("Pid", 0);
    if (pid <= 0) {
      throw new ContainerNotFoundException(
          "docker container "
              + containerId
              + " is not running"
              + " (status "
              + state.getString("Status", "unknown")
              + ")");
    }
    JsonArray env =
        body.getJsonObject("Config", new JsonObject()).getJsonArray("Env", new JsonArray());
    return new ContainerInfo(pid, env.stream().map(String::valueOf).toList());
  }
}
