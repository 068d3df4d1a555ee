package dev.mirrordj.config;

import dev.mirrordj.config.bind.ConfigName;

/**
 * {@code feature}: which parts of the pod the local process sees.
 *
 * @param env environment variables from the pod
 * @param fs file operations
 * @param network incoming, outgoing and DNS traffic
 * @param copyTarget run against a copy of the target (operator)
 * @param hostname return the target's hostname from gethostname (default true)
 */
public record FeatureConfig(
    EnvConfig env,
    FsConfig fs,
    NetworkConfig network,
    @ConfigName("copy_target") CopyTargetConfig copyTarget,
    boolean hostname) {

  static FeatureConfig defaults() {
    return new FeatureConfig(
        EnvConfig.defaults(),
        FsConfig.defaults(),
        NetworkConfig.defaults(),
        CopyTargetConfig.defaults(),
        true);
  }
}
