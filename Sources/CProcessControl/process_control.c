#include "CProcessControl.h"

#ifdef __linux__
#include <signal.h>
#include <sys/prctl.h>
#endif

int xnn_kill_when_parent_ends(void) {
#ifdef __linux__
    return prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
#else
    return -1;
#endif
}
