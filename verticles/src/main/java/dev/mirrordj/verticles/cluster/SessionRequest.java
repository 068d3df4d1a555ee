package dev.mirrordj.verticles.cluster;

import java.time.Duration;

/**
 * What a session asks of its target, from the client's hello.
 *
 * @param sessionId the session's id
 * @param owner the user, as shown everywhere ({@code root (alice)})
 * @param target the target the user configured; an empty namespace means the operator's default
 * @param copyTarget {@code feature.copy_target.enabled}
 * @param scaleDown {@code feature.copy_target.scale_down}
 * @param readyTimeout how long a copy may take to become ready ({@code agent.startup_timeout})
 */
public record SessionRequest(
    String sessionId,
    String owner,
    AgentTarget target,
    boolean copyTarget,
    boolean scaleDown,
    Duration readyTimeout) {}
