import CProcessControl
import Foundation

/// Ties a training to the `xnn sweep` that started it (`xnn train --parent PID`): the kernel kills
/// the training when the sweep ends, however it ends (kill -9 included), so no training outlives
/// its sweep and none is trained twice at once by a rerun (docs/sweeps.md).
enum ParentLink {
    static func endWithParent(_ parent: Int32) {
        if xnn_kill_when_parent_ends() != 0 {
            // No such kernel request on this platform: watch the parent instead.
            let watcher = Thread {
                while getppid() == parent { Thread.sleep(forTimeInterval: 0.2) }
                kill(getpid(), SIGKILL)
            }
            watcher.start()
        }
        // The sweep may have ended before the request was made: this process then already has another parent.
        if getppid() != parent { kill(getpid(), SIGKILL) }
    }
}
