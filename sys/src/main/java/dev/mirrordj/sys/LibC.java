package dev.mirrordj.sys;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * The one JNA binding of libc for the whole project: the agent's file and namespace calls, the
 * sniffer's and the test harness's {@code setns}, the launcher's subreaper calls. Calls that
 * declare {@link LastErrorException} throw it on failure, its {@code getErrorCode()} being the
 * errno (the agent sends it back to the client as is); {@code prctl} and {@code waitpid} report
 * failure by their return value only, because their callers treat a refusal as "not available".
 */
public interface LibC extends Library {
  LibC INSTANCE = Native.load("c", LibC.class);

  /** The effective user id: what the kernel checks for privileges, whatever the login name. */
  int geteuid();

  int AT_FDCWD = -100;
  int AT_SYMLINK_NOFOLLOW = 0x100;
  int STATX_BASIC_STATS = 0x7ff;
  int CLONE_NEWNET = 0x40000000;
  int CLONE_NEWUTS = 0x04000000;
  int PR_SET_CHILD_SUBREAPER = 36;
  int WNOHANG = 1;

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

  int prctl(int option, long arg2, long arg3, long arg4, long arg5);

  int waitpid(int pid, int[] status, int options);
}
