import java.io.*;
import java.net.*;
import java.nio.file.*;
import java.util.stream.*;

public class Probe {
    public static void main(String[] a) throws Exception {
        System.out.println("file=" + Files.readString(Path.of("/mirrord-remote/hello.txt")).trim());
        System.out.println("size=" + new File("/mirrord-remote/hello.txt").length());
        try (Stream<Path> s = Files.list(Path.of("/mirrord-remote/dir"))) {
            System.out.println("dir=" + s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.joining(",")));
        }
        Files.writeString(Path.of("/mirrord-remote/out-java.txt"), "written by java");
        System.out.println("real=" + Path.of("/mirrord-remote/dir/../hello.txt").toRealPath());
        System.out.println("canonical=" + new File("/mirrord-remote/dir/./a.txt").getCanonicalPath());
        InetAddress ip = InetAddress.getByName("echo.cluster.test");
        System.out.println("dns=" + ip.getHostAddress());
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(ip, 7), 10000);
            s.getOutputStream().write("ping-tcp".getBytes());
            byte[] buf = new byte[100];
            int n = s.getInputStream().read(buf);
            System.out.println("tcp=" + new String(buf, 0, n));
            System.out.println("peer=" + s.getInetAddress().getHostAddress() + ":" + s.getPort());
        }
        try (DatagramSocket u = new DatagramSocket()) {
            u.setSoTimeout(10000);
            u.send(new DatagramPacket("ping-udp".getBytes(), 8, ip, 7));
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            u.receive(p);
            System.out.println("udp=" + new String(p.getData(), 0, p.getLength()) + " from " + p.getAddress().getHostAddress() + ":" + p.getPort());
        }
        System.out.println("host=" + InetAddress.getLocalHost().getHostName());
        Process pr = new ProcessBuilder("cat", "/mirrord-remote/hello.txt").start();
        System.out.println("child=" + new String(pr.getInputStream().readAllBytes()).trim());
        pr.waitFor();
    }
}
