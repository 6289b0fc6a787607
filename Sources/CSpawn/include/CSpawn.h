// Start a child process in its own process group, with a parent-death signal, and with its
// stdin/stdout/stderr on the given descriptors. posix_spawn cannot set PR_SET_PDEATHSIG, so this
// forks and execs; everything between fork and exec is async-signal-safe.
#ifndef FIXPOINT_CSPAWN_H
#define FIXPOINT_CSPAWN_H
#include <sys/types.h>

/// Returns the child's pid, or -1 with errno set. On exec failure the child exits 127 after
/// writing errno to `error_fd` (a CLOEXEC pipe the caller reads to tell "not found" apart).
/// `cwd` may be NULL. `envp` may be NULL to inherit. `new_group`: setpgid(0,0).
/// `death_signal`: signal the child receives when the parent thread dies (0 for none).
pid_t fp_spawn(const char *path, char *const argv[], char *const envp[], const char *cwd,
               int stdin_fd, int stdout_fd, int stderr_fd, int new_group, int death_signal);

/// Kinds of resource limit `fp_spawn_confined` sets (setrlimit, soft = hard, except CPU: hard = soft + 2
/// so SIGXCPU comes first) in the child before exec.
enum {
    FP_LIMIT_CPU_SECONDS = 0,
    FP_LIMIT_ADDRESS_SPACE = 1,
    FP_LIMIT_FILE_SIZE = 2,
    FP_LIMIT_PROCESSES = 3,
    FP_LIMIT_CORE_SIZE = 4,
};

/// `fp_spawn`, plus: the child writes itself into `cgroup_procs` (a cgroup's `cgroup.procs`; NULL for
/// none) and sets `limit_count` resource limits, all before exec. Any failure fails the spawn, so a
/// limit is never silently missing.
pid_t fp_spawn_confined(const char *path, char *const argv[], char *const envp[], const char *cwd,
                        int stdin_fd, int stdout_fd, int stderr_fd, int new_group, int death_signal,
                        const int *limit_kinds, const unsigned long long *limit_values, int limit_count,
                        const char *cgroup_procs);

/// pipe2(O_CLOEXEC), which Glibc does not export to Swift without _GNU_SOURCE.
int fp_pipe_cloexec(int fds[2]);

/// Kill a whole process group; returns 0 or -1.
int fp_kill_group(pid_t pgid, int sig);
#endif
