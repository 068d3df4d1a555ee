package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.Progress;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.TargetPath;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * Chooses how to reach the agent: {@code connect_tcp} as given whatever the target is; otherwise a
 * local agent for a {@code pid/<pid>} target (needs root); otherwise Kubernetes.
 */
public final class DefaultAgentConnector implements AgentConnector {

    @Override
    public AgentLink connect(Vertx vertx, MirrordConfig config, Progress progress) throws RunFailure {
        if (config.connectTcp().isPresent()) {
            return connectTcp(vertx, config.connectTcp().get(), null);
        }
        TargetPath target = config.target().effectivePath();
        if (target instanceof TargetPath.Pid pid) {
            Progress starting = progress.subtask("starting a local agent for pid " + pid.pid());
            LocalAgent agent;
            try {
                agent = LocalAgent.start(LocalAgent.selfCommand(), pid.pid(), Duration.ofSeconds(config.agent().startupTimeout()));
            } catch (RunFailure e) {
                starting.failure(null);
                throw e;
            }
            starting.success(agent.address());
            return connectTcp(vertx, agent.address(), agent);
        }
        throw new RunFailure("target " + target.render() + ": sessions through Kubernetes are not available in this build;"
                + " use a pid/<pid> target or connect_tcp");
    }

    /** Opens the agent protocol on host:port; {@code owned} is closed with the link (a local agent). */
    private AgentLink connectTcp(Vertx vertx, String address, AutoCloseable owned) throws RunFailure {
        closeQuietly(owned);
        throw new RunFailure("connect_tcp " + address
                + ": this build has no agent protocol client yet (it comes with the agent module)");
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // best effort on the failure path
        }
    }
}
