/*
 * clock-shift: an LD_PRELOAD shim that moves a process's wall clock (time, gettimeofday,
 * clock_gettime CLOCK_REALTIME) by the seconds written in the file $CLOCK_SHIFT_FILE, read at
 * every call. Tests use it to start a real redis-server "two hours ago" (its start-up time is
 * the last save when it has none) and then return its clock to the true time. Debian's
 * libfaketime hangs redis-server at start (its dlsym recursion with jemalloc,
 * github.com/wolfcw/libfaketime/issues/130), so this uses raw syscalls only: no dlsym, no
 * malloc. The monotonic clock Redis uses for timeouts and latency is left alone.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const char *path;

__attribute__((constructor)) static void init(void) { path = getenv("CLOCK_SHIFT_FILE"); }

static long shift(void) {
  if (!path) return 0;
  int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
  if (fd < 0) return 0;
  char buf[32];
  long n = syscall(SYS_read, fd, buf, sizeof buf - 1);
  syscall(SYS_close, fd);
  long v = 0;
  int neg = 0;
  for (long i = 0; i < n; i++) {
    if (buf[i] == '-' && i == 0) neg = 1;
    else if (buf[i] >= '0' && buf[i] <= '9') v = v * 10 + (buf[i] - '0');
    else break;
  }
  return neg ? -v : v;
}

int clock_gettime(clockid_t id, struct timespec *ts) {
  long r = syscall(SYS_clock_gettime, id, ts);
  if (r == 0 && (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE)) ts->tv_sec += shift();
  return (int)r;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
  long r = syscall(SYS_gettimeofday, tv, tz);
  if (r == 0) tv->tv_sec += shift();
  return (int)r;
}

time_t time(time_t *t) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  if (t) *t = ts.tv_sec;
  return ts.tv_sec;
}
