// Process controls Swift cannot call directly (prctl is variadic, so it is not imported).
#ifndef XNN_PROCESS_CONTROL_H
#define XNN_PROCESS_CONTROL_H

/// Asks the kernel to SIGKILL this process when the thread that started it ends (Linux
/// PR_SET_PDEATHSIG). Returns 0 on success, -1 where the platform has no such request.
int xnn_kill_when_parent_ends(void);

#endif
