package dev.mirrordj.cli.run;

import dev.mirrordj.cli.progress.Progress;
import dev.mirrordj.config.MirrordConfig;
import dev.mirrordj.config.TargetPath;
import io.vertx.core.Vertx;

/**
 * Chooses how to reach the agent: {@code connect_tcp} as given whatever the target is; otherwise a
 * local agent for a {@code pid/<pid>} target (needs root); otherwise Kubernetes. Each way is plugged
 * in as the module that provides it lands; until then this says plainly what is missing.
 */
public final class DefaultAgentConnector implements AgentConnector {

    @Override
    public AgentLink connect(Vertx vertx, MirrordConfig config, Progress progress) throws RunFailure {
        if (config.connectTcp().isPresent()) {
            throw new RunFailure("connect_tcp " + config.connectTcp().get()
                    + ": this build has no agent client yet (the agent protocol client is a separate module)");
        }
        TargetPath target = config.target().effectivePath();
        if (target instanceof TargetPath.Pid pid) {
            if (!"root".equals(System.getProperty("user.name"))) {
                throw new RunFailure("target pid/" + pid.pid() + " starts a local agent, which needs root"
                        + " (it enters the target's namespaces); run as root or set connect_tcp");
            }
            throw new RunFailure("target pid/" + pid.pid() + ": this build cannot start a local agent yet");
        }
        throw new RunFailure("target " + target + ": sessions through Kubernetes are not available in this build;"
                + " use connect_tcp");
    }
}
