/*
 * mirrord-seccomp-launch: starts a program under the seccomp layer.
 *
 *   mirrord-seccomp-launch --probe
 *       prints "ok killable", "ok" or "unsupported: <why>" and exits 0 / 0 / 2.
 *   mirrord-seccomp-launch [--argv0 NAME] SOCKET PROGRAM [ARGS...]
 *       connects to the supervisor's unix socket, sets no-new-privs, installs a filter whose
 *       listener goes to the supervisor over SCM_RIGHTS, closes its own copy and execs PROGRAM
 *       (with NAME as its argv[0] when given: the LD_PRELOAD layer starts a static child this way
 *       and keeps the name its parent gave it).
 *
 * Built statically so that nothing (an LD_PRELOAD, a missing library) runs in this process between
 * installing the filter and handing the listener away: a filtered call made while this process
 * still holds the listener would wait on itself forever.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

/* Newer than the kernel headers on some build machines. */
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV (1UL << 5)
#endif
#ifndef SECCOMP_FILTER_FLAG_NEW_LISTENER
#define SECCOMP_FILTER_FLAG_NEW_LISTENER (1UL << 3)
#endif
#ifndef SECCOMP_RET_USER_NOTIF
#define SECCOMP_RET_USER_NOTIF 0x7fc00000U
#endif
#ifndef SECCOMP_GET_NOTIF_SIZES
#define SECCOMP_GET_NOTIF_SIZES 3
#endif

/* The calls the supervisor answers: opening and inspecting paths, socket setup, the hostname. */
static const int notified[] = {
    SYS_open,        SYS_openat,    SYS_creat,     SYS_stat,        SYS_lstat,
    SYS_newfstatat,  SYS_statx,     SYS_access,    SYS_faccessat,   SYS_faccessat2,
    SYS_readlink,    SYS_readlinkat, SYS_connect,  SYS_bind,        SYS_listen,
    SYS_getsockname, SYS_getpeername, SYS_uname,   SYS_mkdir,       SYS_mkdirat,
    SYS_unlink,      SYS_unlinkat,  SYS_rmdir,     SYS_rename,      SYS_renameat,
    SYS_renameat2,
};

/* Kernel 5.14 brought SECCOMP_ADDFD_FLAG_SEND, without which an injected fd can leak. */
static int kernel_at_least(int major, int minor) {
  struct utsname u;
  if (uname(&u) != 0) return 0;
  int ma = 0, mi = 0;
  if (sscanf(u.release, "%d.%d", &ma, &mi) != 2) return 0;
  return ma > major || (ma == major && mi >= minor);
}

static int install(unsigned long flags) {
  enum { N = sizeof notified / sizeof notified[0] };
  struct sock_filter prog[8 + 2 * N];
  int i = 0;
  prog[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
  /* other ABIs (i386 int 0x80, x32) are left alone: the layer only understands x86-64 calls */
  prog[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
  prog[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  prog[i++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
  /* io_uring would open and connect behind the filter's back: programs fall back to syscalls */
  prog[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_io_uring_setup, 0, 1);
  prog[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
  for (int k = 0; k < N; k++) {
    prog[i++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, notified[k], 0, 1);
    prog[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF);
  }
  prog[i++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
  struct sock_fprog fprog = {.len = (unsigned short)i, .filter = prog};
  return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &fprog);
}

/* Tries the real thing in a throwaway child: version strings lie (backports), the kernel does not. */
static int probe(void) {
  struct seccomp_notif_sizes sizes;
  if (!kernel_at_least(5, 14)) {
    struct utsname u;
    uname(&u);
    printf("unsupported: kernel %s is older than 5.14 (seccomp ADDFD with SEND)\n", u.release);
    return 2;
  }
  if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0) {
    printf("unsupported: seccomp user notification unavailable (%s)\n", strerror(errno));
    return 2;
  }
  int p[2];
  if (pipe(p) != 0) return 2;
  pid_t child = fork();
  if (child == 0) {
    close(p[0]);
    char verdict = 'n';
    int err = 0;
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
      err = errno;
    } else {
      /* both probes install the filter for real; the child only exits afterwards */
      int fd = install(SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
      if (fd >= 0) {
        verdict = 'k';
      } else {
        fd = install(SECCOMP_FILTER_FLAG_NEW_LISTENER);
        if (fd >= 0) verdict = 'y';
        else err = errno;
      }
    }
    char msg[2] = {verdict, (char)err};
    (void)!write(p[1], msg, 2);
    _exit(0);
  }
  close(p[1]);
  char msg[2] = {0, 0};
  ssize_t n = read(p[0], msg, 2);
  close(p[0]);
  waitpid(child, NULL, 0);
  if (n == 2 && msg[0] == 'k') return printf("ok killable\n"), 0;
  if (n == 2 && msg[0] == 'y') return printf("ok\n"), 0;
  if (n == 2 && msg[1] == EBUSY) {
    printf("unsupported: this process already runs under a seccomp listener (nested supervisors)\n");
  } else {
    printf("unsupported: cannot install a seccomp listener (%s)\n", n == 2 ? strerror(msg[1]) : "probe died");
  }
  return 2;
}

static void die(const char *what) {
  fprintf(stderr, "mirrord: seccomp launcher: %s: %s\n", what, strerror(errno));
  exit(126);
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--probe") == 0) return probe();
  const char *argv0 = NULL;
  if (argc >= 3 && strcmp(argv[1], "--argv0") == 0) {
    argv0 = argv[2];
    argv += 2;
    argc -= 2;
  }
  if (argc < 3) {
    fprintf(stderr, "usage: %s --probe | %s [--argv0 NAME] SOCKET PROGRAM [ARGS...]\n", argv[0], argv[0]);
    return 2;
  }
  int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (sock < 0) die("socket");
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  if (strlen(argv[1]) >= sizeof sa.sun_path) {
    errno = ENAMETOOLONG;
    die(argv[1]);
  }
  strcpy(sa.sun_path, argv[1]);
  if (connect(sock, (struct sockaddr *)&sa, sizeof sa) != 0) die("connect to the supervisor");
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) die("no_new_privs");

  /* From here until the listener is gone, only unfiltered calls (sendmsg, read, close, execve). */
  int killable = 1;
  int listener = install(SECCOMP_FILTER_FLAG_NEW_LISTENER | SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV);
  if (listener < 0 && errno == EINVAL) {
    killable = 0;
    listener = install(SECCOMP_FILTER_FLAG_NEW_LISTENER);
  }
  if (listener < 0) die("install the seccomp filter");

  char tag = killable ? 'k' : 'n';
  struct iovec iov = {.iov_base = &tag, .iov_len = 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } control;
  memset(&control, 0, sizeof control);
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = control.buf,
                       .msg_controllen = sizeof control.buf};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &listener, sizeof(int));
  if (sendmsg(sock, &msg, MSG_NOSIGNAL) != 1) die("hand the listener to the supervisor");
  /* The supervisor acknowledges once it polls the listener; only then may we make filtered calls. */
  char ack = 0;
  if (read(sock, &ack, 1) != 1 || ack != 'A') {
    errno = EPROTO;
    die("supervisor did not acknowledge the listener");
  }
  /* A copy left here would keep the filter alive after the supervisor dies: calls would hang. */
  close(listener);
  close(sock);
  const char *program = argv[2];
  if (argv0) argv[2] = (char *)argv0;
  execvp(program, argv + 2);
  fprintf(stderr, "mirrord: cannot run %s: %s\n", program, strerror(errno));
  return errno == ENOENT ? 127 : 126;
}
