package dev.mirrordj.agent.net;

import static org.junit.jupiter.api.Assertions.*;

import dev.mirrordj.protocol.Errno;
import java.net.ConnectException;
import org.junit.jupiter.api.Test;

/** The errno a program sees comes from the native error when Netty reports one. */
class SocketErrorsTest {
  @Test
  void nativeErrnoWinsOverTheMessageText() {
    io.netty.channel.epoll.Epoll
        .ensureAvailability(); // loads the native library Netty's error classes use
    assertEquals(
        Errno.ENAMETOOLONG,
        SocketErrors.errno(
            new ConnectException(
                "connect(..) failed with error(-36): File name too long: /proc/1/root/x")));
    assertEquals(
        Errno.ECONNREFUSED,
        SocketErrors.errno(
            new io.netty.channel.unix.Errors.NativeIoException("connect", -Errno.ECONNREFUSED)));
    assertEquals(
        Errno.ECONNREFUSED, SocketErrors.errno(new ConnectException("Connection refused")));
    assertEquals(Errno.EIO, SocketErrors.errno(new java.io.IOException("something else")));
  }
}
