package dev.mirrordj.sniffer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Finds the interface of a namespace's IPv4 default route from its {@code /proc/PID/net/route},
 * falling back to {@code eth0} (the documented default of {@code agent.network_interface}).
 */
public final class DefaultInterface {

    public static final String FALLBACK = "eth0";

    private DefaultInterface() {
    }

    public static String of(Path procNetRoute) {
        try {
            List<String> lines = Files.readAllLines(procNetRoute);
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                // columns: Iface Destination Gateway Flags ... Mask; default route: destination 0, mask 0
                if (f.length >= 8 && f[1].equals("00000000") && f[7].equals("00000000")) {
                    return f[0];
                }
            }
        } catch (IOException | RuntimeException e) {
            return FALLBACK;
        }
        return FALLBACK;
    }
}
