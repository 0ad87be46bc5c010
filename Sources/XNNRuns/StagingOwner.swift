import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who is writing a staging folder. Its process holds an exclusive lock (flock) on the folder's
/// `.xnn-owner` file, which records the process id, for as long as it runs. The kernel drops the
/// lock when the process ends, however it ends (kill -9 too), so a lock another process can take
/// means the owner is gone, whichever process now has its id.
final class StagingOwner {
    static let fileName = ".xnn-owner"
    private var descriptor: Int32

    enum State: Equatable {
        /// Locked by a running process (its id, once written).
        case alive(pid: Int32?)
        /// Unlocked: the process that wrote its id has ended.
        case gone(pid: Int32)
        /// No owner record: an older xnn, or a process that has only just created the folder.
        case unknown
    }

    private init(descriptor: Int32) { self.descriptor = descriptor }

    deinit { release(removingRecordIn: nil) }

    /// Takes the lock of `folder`, a staging folder this process created or one whose owner is
    /// gone, and records this process's id.
    static func claim(_ folder: URL) throws -> StagingOwner {
        let path = folder.appendingPathComponent(fileName).path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw RunError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        // Another process may be holding the lock for a moment to test it: try for about a second.
        var attempts = 0
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            attempts += 1
            guard attempts < 50 else {
                close(descriptor)
                throw StagingError.inUse(path: folder.path, pid: readPID(path))
            }
            usleep(20_000)
        }
        let record = "\(getpid())\n"
        guard ftruncate(descriptor, 0) == 0, record.withCString({ write(descriptor, $0, strlen($0)) }) == record.utf8.count else {
            let reason = String(cString: strerror(errno))
            close(descriptor)
            throw RunError.cannotWrite(path: path, reason: reason)
        }
        return StagingOwner(descriptor: descriptor)
    }

    /// Drops the lock; the record goes too when the folder is now a finished run at `folder`.
    func release(removingRecordIn folder: URL?) {
        if let folder { unlink(folder.appendingPathComponent(Self.fileName).path) }
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
    }

    /// Whether the owner of `folder` is running.
    static func state(of folder: URL) -> State {
        let path = folder.appendingPathComponent(fileName).path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return .unknown }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else { return .alive(pid: readPID(path)) }
        defer { flock(descriptor, LOCK_UN) }
        // An owner locks before it writes its id: an empty record is a process just starting.
        guard let pid = readPID(path) else { return .alive(pid: nil) }
        return .gone(pid: pid)
    }

    private static func readPID(_ path: String) -> Int32? {
        (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
    }
}
