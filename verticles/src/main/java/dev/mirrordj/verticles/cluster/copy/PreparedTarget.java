package dev.mirrordj.verticles.cluster.copy;

import dev.mirrordj.verticles.kube.TargetRef;
import java.util.Optional;

/**
 * The target a session should use, and what to undo when it ends.
 *
 * @param target {@code pod/<copy>[/container/<c>]} for a copy, else the configured target
 * @param namespace where {@code target} lives
 * @param undo empty when nothing was changed in the cluster (no copy)
 */
public record PreparedTarget(TargetRef target, String namespace, Optional<UndoRecord> undo) {}
