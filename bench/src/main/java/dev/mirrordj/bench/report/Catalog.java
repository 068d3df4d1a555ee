package dev.mirrordj.bench.report;

import java.util.List;

/** The benchmarks the report has a section for, what each measures, and its goal. */
public final class Catalog {
  /** One benchmark: its id, name, what runs, and the goal its numbers are read against. */
  public record Entry(String id, String name, String workload, String goal) {}

  public static final List<Entry> ENTRIES =
      List.of(
          new Entry(
              "B1",
              "steal, HTTP/1.1 keep-alive",
              "wrk into the pod's port; 0/50/100 % of requests match the header filter and go to"
                  + " the local program under run, the rest to the pod's app",
              "ours ≥ 1.0× HAProxy doing the same routing; added p99 ≤ 2 ms; 0 errors"),
          new Entry(
              "B2",
              "steal, h2c",
              "mixed matched and unmatched streams on one connection",
              "≥ 1.0× HAProxy; 0 stream errors"),
          new Entry(
              "B3",
              "passthrough overhead",
              "B1 at 0 % match with the steal on another port, and on the same port",
              "same-port ≥ 1.0× HAProxy; other ports unchanged"),
          new Entry(
              "B4",
              "mirror completeness",
              "rising request rates mirrored to the local program",
              "every request delivered at ≤ 10 % of the app's maximum; drops always counted"),
          new Entry(
              "B5",
              "outgoing tunnel",
              "iperf3 -c under run against the same iperf3 in the pod; 64 B ping-pong idle and"
                  + " under a bulk stream of the same program",
              "1 and 4 streams ≥ 0.5× direct; ping-pong p99 under bulk ≤ 3× idle"),
          new Entry(
              "B6",
              "files under the layer",
              "pod files read by a program under run",
              "open = one agent round trip; 1 MiB reads ≥ 0.5× a raw TCP stream"),
          new Entry(
              "B7",
              "DNS under the layer",
              "getaddrinfo of a pod name under run",
              "added p50 ≤ one agent round trip + 50 µs; 0 failures at 1,000/s"),
          new Entry(
              "B8",
              "start-up",
              "exec under the layer, python3 -c pass, run to the program's first instruction",
              "≤ +2 ms per exec; python3 ≤ +10 %; run ≤ 1.5 s"),
          new Entry(
              "B9",
              "memory per connection",
              "idle stolen keep-alive connections held open",
              "≤ 8 KiB RSS per idle connection in the agent and in the proxy"),
          new Entry(
              "B11",
              "soak",
              "a bounded run at half capacity (long mode)",
              "RSS and fd counts flat; p99 drift ≤ 10 %"));

  private Catalog() {}
}
