package dev.mirrordj.agent.incoming.redirect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** The reply source ports the flush reads from {@code conntrack -L}. */
class ConnectionFlusherTest {

  @Test
  void replySourcePortsTellRedirectedEntriesFromTheRest() {
    String listed =
        String.join(
            "\n",
            "tcp      6 431999 ESTABLISHED src=10.9.0.2 dst=10.9.0.1 sport=40000 dport=80"
                + " src=10.9.0.1 dst=10.9.0.2 sport=80 dport=40000 [ASSURED] mark=0 use=1",
            "tcp      6 119 SYN_SENT src=10.9.0.2 dst=10.9.0.1 sport=40001 dport=80 [UNREPLIED]"
                + " src=10.9.0.1 dst=10.9.0.2 sport=41234 dport=40001 mark=0 use=1",
            "tcp      6 60 SYN_RECV src=10.9.0.2 dst=10.9.0.1 sport=40002 dport=80"
                + " src=10.9.0.1 dst=10.9.0.2 sport=15006 dport=40002 mark=0 use=1",
            "conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.");
    assertEquals(Set.of(80, 41234, 15006), ConnectionFlusher.replySourcePorts(listed));
    assertEquals(Set.of(), ConnectionFlusher.replySourcePorts(""));
  }
}
