package dev.mirrordj.cli;

import static org.junit.jupiter.api.Assertions.*;

import dev.mirrordj.agent.AgentOptions;
import dev.mirrordj.agent.AgentWorker;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * `diagnose latency` pings a real in-process agent 100 times and prints ordered statistics, next to
 * a loopback echo measured in the same run.
 */
@Timeout(60)
class DiagnoseCommandTest {

  @Test
  void printsMinMedianMaxOfOneHundredPings() {
    try (AgentWorker agent =
        new AgentWorker(
            new AgentOptions(
                "127.0.0.1",
                0,
                Duration.ofSeconds(30),
                Duration.ofSeconds(30),
                null,
                "diag-test"))) {
      agent.start().await();
      CliRun run = CliRun.main("diagnose", "latency", "--connect", "127.0.0.1:" + agent.port());
      assertEquals(ExitCodes.OK, run.exitCode(), run.err());
      Matcher m =
          Pattern.compile(
                  "100 pings to 127\\.0\\.0\\.1:\\d+ \\(agent diag-test\\): min ([0-9.]+) ms, "
                      + "median ([0-9.]+) ms, max ([0-9.]+) ms")
              .matcher(run.out());
      assertTrue(m.find(), run.out());
      double min = Double.parseDouble(m.group(1));
      double median = Double.parseDouble(m.group(2));
      double max = Double.parseDouble(m.group(3));
      assertTrue(min > 0 && min <= median && median <= max, run.out());
      Matcher echo =
          Pattern.compile(
                  "loopback TCP echo in this process, same count: min ([0-9.]+) ms, median"
                      + " ([0-9.]+) ms, max ([0-9.]+) ms; agent median / echo median ([0-9.]+)")
              .matcher(run.out());
      assertTrue(echo.find(), run.out());
      double echoMin = Double.parseDouble(echo.group(1));
      double echoMedian = Double.parseDouble(echo.group(2));
      assertTrue(echoMin > 0 && echoMin <= echoMedian, run.out());
      assertEquals(
          median / echoMedian,
          Double.parseDouble(echo.group(4)),
          0.1 * median / echoMedian + 0.01,
          run.out());
    }
  }

  @Test
  void badAddressIsAUsageError() {
    CliRun run = CliRun.main("diagnose", "latency", "--connect", "no-port-here");
    assertEquals(ExitCodes.USAGE, run.exitCode());
    assertTrue(run.err().contains("HOST:PORT"), run.err());
  }

  @Test
  void unreachableAgentIsAFailureWithAMessage() throws Exception {
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    CliRun run = CliRun.main("diagnose", "latency", "--connect", "127.0.0.1:" + port);
    assertEquals(ExitCodes.FAILURE, run.exitCode());
    assertTrue(run.err().contains("mirrord: error:"), run.err());
  }
}
