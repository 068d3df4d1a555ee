package dev.mirrordj.agent.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** hosts(5): name (case-insensitive) to addresses in file order, and address to first name. */
public final class HostsFile {
  private final Map<String, List<InetAddress>> byName = new HashMap<>();
  private final Map<InetAddress, String> byAddress = new HashMap<>();

  public static HostsFile parse(String text) {
    HostsFile h = new HostsFile();
    for (String raw : text.split("\n")) {
      String[] f = raw.replaceAll("#.*", "").trim().split("\\s+");
      if (f.length < 2 || !ResolvConf.isIpLiteral(f[0])) {
        continue;
      }
      InetAddress addr;
      try {
        addr = InetAddress.getByName(f[0].replaceAll("%.*", ""));
      } catch (UnknownHostException e) {
        continue;
      }
      for (int i = 1; i < f.length; i++) {
        h.byName.computeIfAbsent(f[i].toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(addr);
      }
      h.byAddress.putIfAbsent(addr, f[1]);
    }
    return h;
  }

  public List<InetAddress> lookup(String name) {
    String key = name.toLowerCase(Locale.ROOT);
    if (key.endsWith(".")) {
      key = key.substring(0, key.length() - 1);
    }
    return byName.getOrDefault(key, List.of());
  }

  public String reverse(InetAddress address) {
    return byAddress.get(address);
  }
}
