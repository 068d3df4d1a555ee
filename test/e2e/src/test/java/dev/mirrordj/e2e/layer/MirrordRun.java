package dev.mirrordj.e2e.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code java -jar mirrord-fat.jar run -f <config> -- <program>} as a user would, capturing its output. */
final class MirrordRun {
    static final Path FAT_JAR = Path.of("..", "..", "cli", "target", "mirrord-fat.jar").toAbsolutePath().normalize();

    record Result(int exit, String out, String err) {
        List<String> lines() { return out.lines().toList(); }
    }

    private MirrordRun() {}

    static Result run(Path work, Path cfg, String... program) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", FAT_JAR.toString(), "run", "-f", cfg.toString(), "--"));
        cmd.addAll(List.of(program));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(work.toFile());
        pb.environment().put("MIRRORD_PROGRESS_MODE", "off");
        Path out = Files.createTempFile(work, "out", ".txt"), err = Files.createTempFile(work, "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p = pb.start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "run timed out: " + Files.readString(err));
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}
