/**
 * {@code run} / {@code exec}: one session from configuration to exit code.
 *
 * <ol>
 *   <li>{@link dev.mirrordj.cli.RunCommand} turns the flags into MIRRORD_* overrides and hands
 *       them, the configuration source and the environment to a {@link
 *       dev.mirrordj.cli.run.RunSession}.
 *   <li>{@link dev.mirrordj.cli.run.RunSession} deploys the session's verticles in one chain: the
 *       progress verticle ({@code MIRRORD_PROGRESS_MODE}), the config verticle (file, environment,
 *       flags), then — after warning about statically linked or Go programs ({@link
 *       dev.mirrordj.cli.run.ElfLinkage}) and {@code sip_binaries} and extracting the layer — the
 *       {@link dev.mirrordj.cli.run.AgentLinkVerticle}, which connects through an {@link
 *       dev.mirrordj.cli.run.AgentConnector} ({@code connect_tcp} as given; a {@link
 *       dev.mirrordj.verticles.agents.LocalAgent} for {@code pid/} targets; Kubernetes otherwise).
 *       It then fetches the pod's environment over the bus (or leaves it to the layer with {@code
 *       load_from_process}), deploys the proxy verticle on a session directory and, while incoming
 *       traffic is on, the incoming verticle, and starts the program ({@link
 *       dev.mirrordj.cli.run.ProgramLauncher}) with the environment built by {@link
 *       dev.mirrordj.cli.run.ProgramEnvironment}.
 *   <li>The exit code is the program's (128+N for signal N). Processes the program leaves behind
 *       are adopted ({@link dev.mirrordj.cli.run.Descendants}, child subreaper) and served until
 *       they exit. Losing the agent is published on the bus and reported on stderr at once; the
 *       program's remote operations then fail with EIO / ECONNREFUSED / EAI_FAIL.
 * </ol>
 *
 * <p>The verticles talk over the addresses in {@link dev.mirrordj.verticles.Addresses}: control and
 * small messages on the bus, connection bytes on sockets (see {@code docs/architecture.md}).
 */
package dev.mirrordj.cli.run;
