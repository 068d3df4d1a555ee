/**
 * {@code run} / {@code exec}: one session from configuration to exit code.
 *
 * <ol>
 *   <li>{@link dev.mirrordj.cli.RunCommand} resolves the configuration (file, MIRRORD_*
 *       environment, flags) and starts progress per {@code MIRRORD_PROGRESS_MODE}.
 *   <li>{@link dev.mirrordj.cli.run.RunSession} warns about statically linked programs ({@link
 *       dev.mirrordj.cli.run.ElfLinkage}) and {@code sip_binaries}, extracts the layer, connects to
 *       the agent through an {@link dev.mirrordj.cli.run.AgentConnector} ({@code connect_tcp} as
 *       given; a {@link dev.mirrordj.cli.run.LocalAgent} for {@code pid/} targets; Kubernetes
 *       otherwise), fetches the pod's environment (or leaves it to the layer with {@code
 *       load_from_process}), deploys the proxy verticle on a session directory and starts the
 *       program ({@link dev.mirrordj.cli.run.ProgramLauncher}) with the environment built by {@link
 *       dev.mirrordj.cli.run.ProgramEnvironment}.
 *   <li>The exit code is the program's (128+N for signal N). Processes the program leaves behind
 *       are adopted ({@link dev.mirrordj.cli.run.Descendants}, child subreaper) and served until
 *       they exit. Losing the agent is reported on stderr at once; the program's remote operations
 *       then fail with EIO / ECONNREFUSED / EAI_FAIL.
 * </ol>
 */
package dev.mirrordj.cli.run;
