package dev.mirrordj.agent.ns;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The libc calls the agent needs, through JNA. Every call that can fail throws {@link
 * LastErrorException}, whose {@code getErrorCode()} is the errno sent back to the client.
 */
public interface LibC extends Library {
  LibC INSTANCE = Native.load("c", LibC.class);

  int AT_FDCWD = -100;
  int AT_SYMLINK_NOFOLLOW = 0x100;
  int STATX_BASIC_STATS = 0x7ff;
  int CLONE_NEWNET = 0x40000000;
  int CLONE_NEWUTS = 0x04000000;

  int open(String path, int flags, int mode) throws LastErrorException;

  long read(int fd, byte[] buf, long count) throws LastErrorException;

  long pread(int fd, byte[] buf, long count, long offset) throws LastErrorException;

  long write(int fd, byte[] buf, long count) throws LastErrorException;

  long pwrite(int fd, byte[] buf, long count, long offset) throws LastErrorException;

  long lseek(int fd, long offset, int whence) throws LastErrorException;

  int close(int fd) throws LastErrorException;

  int ftruncate(int fd, long length) throws LastErrorException;

  int truncate(String path, long length) throws LastErrorException;

  int mkdir(String path, int mode) throws LastErrorException;

  int rmdir(String path) throws LastErrorException;

  int unlink(String path) throws LastErrorException;

  int rename(String from, String to) throws LastErrorException;

  int access(String path, int mode) throws LastErrorException;

  long readlink(String path, byte[] buf, long size) throws LastErrorException;

  int statx(int dirfd, String path, int flags, int mask, byte[] statxbuf) throws LastErrorException;

  /** {@code buf} receives a {@code struct statfs} (120 bytes on 64-bit Linux). */
  int statfs(String path, byte[] buf) throws LastErrorException;

  int setns(int fd, int nstype) throws LastErrorException;

  int gethostname(byte[] name, long len) throws LastErrorException;
}
