/**
 * Kubernetes: the client, target resolution, the agent pod, readiness, port-forward and {@code ls}.
 *
 * <h2>Entry point for {@code run}</h2>
 *
 * <pre>{@code
 * KubeAgentLauncher.launch(mirrordConfig, vertx, progress::step)     // Future<AgentEndpoint>
 *     .compose(endpoint -> connect AgentClient to endpoint.host():endpoint.port(), as with connect_tcp)
 * ...
 * endpoint.close();   // session over (or failed): ends the port-forward, deletes the agent Job
 * }</pre>
 *
 * Steps, each reported through {@code progress}: build a fabric8 client on the shared Vert.x from
 * {@code kubeconfig}/{@code kube_context}/{@code accept_invalid_certificates}/{@code use_proxy}
 * ({@link dev.mirrordj.verticles.kube.KubeClients}); resolve {@code target} ({@link
 * dev.mirrordj.verticles.kube.TargetResolver}); create the agent Job or ephemeral container from
 * {@code agent.*} ({@link dev.mirrordj.verticles.kube.AgentPodSpecs}); wait for {@code agent ready
 * - version …} in its log within {@code agent.startup_timeout}, failing fast on image pull errors
 * ({@code AgentReadiness}); open a local port-forward whose every connection is a port-forward
 * stream to the agent, with retries ({@link dev.mirrordj.verticles.kube.AgentPortForward}).
 * Anything that fails after the Job exists deletes it again.
 *
 * <p>Blocking fabric8 calls run in {@code executeBlocking}; never call the client from an event
 * loop. The agent image contract (command, arguments, environment) is in conf/agent-image/README.md
 * and {@link dev.mirrordj.verticles.kube.AgentCommandLine}.
 */
package dev.mirrordj.verticles.kube;
