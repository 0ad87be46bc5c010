import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A sweep's output folder, held by one sweep at a time, or shared by its points' tasks (docs/sweeps.md).
///
/// An exclusive `flock` on OUTPUT/.xnn-sweep.lock keeps a second sweep out; the kernel releases it
/// when the holder ends, however it ends, so kill -9 never leaves a stale lock. The file holds the
/// holder's PID for the error message. A sweep's trainings die with it (`xnn train --parent`), so
/// the staging folders they leave are removed; one whose process still runs is never deleted under it.
final class SweepFolder {
    static let lockName = ".xnn-sweep.lock"
    /// How long a staging folder's process may take to end: trainings of a killed sweep are
    /// killed by the kernel just after its lock is released.
    static let stagingPatience: TimeInterval = 3

    let path: String
    private let lockDescriptor: Int32

    /// Creates the folder when needed and takes its lock, or throws `RunError.sweepInProgress`.
    /// `shared`: a lock many may hold at once (`xnn sweep --index`, Slurm's tasks, and `--collect`)
    /// but none while a whole sweep holds it alone; so that sweep never removes a task's staging folder.
    init(path: String, shared: Bool = false) throws {
        self.path = path
        let lockPath = (path as NSString).appendingPathComponent(Self.lockName)
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw RunError.cannotWrite(path: path, reason: error.localizedDescription)
        }
        // Close-on-exec: a training started by this sweep must not inherit, and so keep, the lock.
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw RunError.cannotWrite(path: lockPath, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: lockPath, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            close(descriptor)
            throw RunError.sweepInProgress(directory: path, pid: holder)
        }
        let text = "\(getpid())\n"
        _ = ftruncate(descriptor, 0)
        _ = text.withCString { pwrite(descriptor, $0, strlen($0), 0) }
        lockDescriptor = descriptor
    }

    deinit { close(lockDescriptor) }

    /// Lets a program this process becomes (exec) keep the lock, for as long as it runs.
    func keepAcrossExec() { _ = fcntl(lockDescriptor, F_SETFD, 0) }

    /// Removes the staging folders (`.<run>.partial-<pid>`) that trainings of ended processes left,
    /// after waiting up to `stagingPatience` for them to end. Returns the runs still staged by a live process.
    func removeStagingFolders() throws -> [(run: String, pid: Int32)] {
        let deadline = Date().addingTimeInterval(Self.stagingPatience)
        var live: [(run: String, pid: Int32)] = []
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: path).sorted() } catch {
            throw RunError.cannotWrite(path: path, reason: error.localizedDescription)
        }
        for entry in entries {
            guard let staged = RunDirectory.stagedRun(entry) else { continue }
            while ProcessState.isRunning(staged.pid) && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            let folder = (path as NSString).appendingPathComponent(entry)
            if ProcessState.isRunning(staged.pid) {
                live.append(staged)
            } else if RunDirectory.isMadeByXNN(URL(fileURLWithPath: folder)) {
                do { try FileManager.default.removeItem(atPath: folder) } catch {
                    throw RunError.cannotWrite(path: folder, reason: "cannot remove a killed training's staging folder: \(error.localizedDescription)")
                }
            }
        }
        return live
    }
}

/// Whether a process still runs: it exists and, on Linux, is not a zombie waiting to be reaped.
enum ProcessState {
    static func isRunning(_ pid: Int32) -> Bool {
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        #if os(Linux)
        // /proc/<pid>/stat: "pid (name) state …"; the name may hold spaces, so read after the last ')'.
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.range(of: ")", options: .backwards) else { return false }
        return !stat[close.upperBound...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
        #else
        return true
        #endif
    }
}
