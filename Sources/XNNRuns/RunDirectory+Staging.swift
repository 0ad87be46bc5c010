import Foundation

/// Staging folders (`.<name>.partial-<pid>`) and replaced runs (`.<name>.replaced-<pid>`) that a
/// process left beside a destination when it died (kill -9, power loss): which are still in use,
/// which hold a checkpoint to resume, which can go (docs/reliability.md, "Checkpoints and resume").
extension RunDirectory {
    /// The checkpoint file `xnn train` keeps in its staging folder.
    public static let checkpointFile = "checkpoint.h5"

    static func stagingURL(for destination: URL, pid: Int32) -> URL {
        destination.deletingLastPathComponent().appendingPathComponent(stagingPrefix(of: destination) + "\(pid)")
    }

    static func stagingPrefix(of destination: URL) -> String { ".\(destination.lastPathComponent).partial-" }

    /// The run and process of a staging folder's name, the inverse of `stagingURL`:
    /// ".kind-srae_seed-1.partial-4242" → ("kind-srae_seed-1", 4242); nil for anything else.
    static func stagedRun(_ entry: String) -> (run: String, pid: Int32)? {
        guard entry.hasPrefix("."), let marker = entry.range(of: ".partial-", options: .backwards),
              let pid = Int32(entry[marker.upperBound...]), pid > 0 else { return nil }
        return (String(entry[entry.index(after: entry.startIndex)..<marker.lowerBound]), pid)
    }

    /// A staging folder carries the marker from its first moment on (or is still empty): anything
    /// else is not xnn's to delete.
    static func isMadeByXNN(_ folder: URL) -> Bool {
        let manager = FileManager.default
        return manager.fileExists(atPath: folder.appendingPathComponent(marker).path)
            || (try? manager.contentsOfDirectory(atPath: folder.path))?.isEmpty == true
    }
    static func replacedPrefix(of destination: URL) -> String { ".\(destination.lastPathComponent).replaced-" }

    /// A staging folder beside a destination, with what is known about it.
    struct Leftover {
        let url: URL
        /// How to name it to the user: beside the destination as the user wrote it.
        let display: String
        let owner: StagingOwner.State
        let hasCheckpoint: Bool
        let madeByXNN: Bool
    }

    /// Every staging folder beside `destination` (the path the user gave is `path`).
    static func leftovers(of destination: URL, path: String) -> [Leftover] {
        let manager = FileManager.default
        let parent = destination.deletingLastPathComponent()
        let entries = (try? manager.contentsOfDirectory(atPath: parent.path)) ?? []
        return entries.filter { $0.hasPrefix(stagingPrefix(of: destination)) }.sorted().map { entry in
            let url = parent.appendingPathComponent(entry)
            return Leftover(url: url, display: display(entry, besides: path), owner: StagingOwner.state(of: url),
                            hasCheckpoint: manager.fileExists(atPath: url.appendingPathComponent(checkpointFile).path),
                            madeByXNN: isMadeByXNN(url))
        }
    }

    static func display(_ entry: String, besides path: String) -> String {
        // Plain string work: NSString's path methods crash on one-character names on Linux.
        var trimmed = Substring(path)
        while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        guard let slash = trimmed.lastIndex(of: "/") else { return entry }
        return trimmed[...slash] + entry
    }

    /// Before a fresh run: puts back a run that a `--force` replacement had moved aside when it
    /// died; removes staging folders of dead processes; refuses (without `force`) to discard one
    /// holding a checkpoint, naming the resume command instead. Live owners' folders are left alone.
    static func settleLeftovers(of destination: URL, path: String, force: Bool, notice: (String) -> Void) throws {
        try restoreReplaced(besides: destination, path: path, notice: notice)
        for leftover in leftovers(of: destination, path: path) {
            switch leftover.owner {
            case .alive(let pid):
                notice("note: \(leftover.display) is being written by xnn process \(pid.map(String.init) ?? "(starting)"); left alone")
            case .unknown:
                notice("note: \(leftover.display) has no owner record (\(StagingOwner.fileName)); left alone: remove it if no xnn process is writing it")
            case .gone(let pid):
                guard leftover.madeByXNN else { continue }
                if leftover.hasCheckpoint && !force { throw StagingError.resumable(destination: path, staging: leftover.display) }
                do { try FileManager.default.removeItem(at: leftover.url) } catch {
                    throw RunError.cannotWrite(path: leftover.display, reason: error.localizedDescription)
                }
                notice("note: removed \(leftover.display), left by xnn process \(pid), which is gone"
                       + (leftover.hasCheckpoint ? " (its checkpoint too, as --force asks)" : ""))
            }
        }
    }

    /// A commit moves the old run aside, then the new one into place: a process killed between the
    /// two leaves no run at the destination. The old one goes back; once the new one is in place,
    /// the old one is removed.
    static func restoreReplaced(besides destination: URL, path: String, notice: (String) -> Void) throws {
        let manager = FileManager.default
        let parent = destination.deletingLastPathComponent()
        let prefix = replacedPrefix(of: destination)
        for entry in ((try? manager.contentsOfDirectory(atPath: parent.path)) ?? []).sorted() where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)) else { continue }
            let staging = stagingURL(for: destination, pid: pid)
            if manager.fileExists(atPath: staging.path), case .alive = StagingOwner.state(of: staging) { continue }
            let url = parent.appendingPathComponent(entry)
            do {
                if manager.fileExists(atPath: destination.path) {
                    try manager.removeItem(at: url)
                } else {
                    try manager.moveItem(at: url, to: destination)
                    notice("note: put back the earlier run at \(path), which xnn process \(pid) had moved aside when it died")
                }
            } catch {
                throw RunError.cannotWrite(path: display(entry, besides: path), reason: error.localizedDescription)
            }
        }
    }

    /// Continues in `staging`, the folder an interrupted run left, whose owner must be gone: takes
    /// its lock and renames it after this process. A run that appeared at `destination` meanwhile
    /// is refused now (without `force`), not after training.
    public init(resuming staging: URL, destination: URL, path: String, force: Bool) throws {
        guard case .gone = StagingOwner.state(of: staging) else {
            throw StagingError.inUse(path: staging.path, pid: nil)
        }
        try Self.checkReplaceable(destination, path: path, force: force)
        let claimed = try StagingOwner.claim(staging)
        let renamed = Self.stagingURL(for: destination, pid: getpid())
        if renamed != staging {
            guard rename(staging.path, renamed.path) == 0 else {
                throw RunError.cannotWrite(path: renamed.path, reason: String(cString: strerror(errno)))
            }
        }
        self.destination = destination
        self.staging = renamed
        self.force = force
        createdParent = nil
        owner = claimed
    }
}

/// Staging folders that cannot be used as asked; one line each.
public enum StagingError: Error, CustomStringConvertible, Equatable {
    case resumable(destination: String, staging: String)
    case inUse(path: String, pid: Int32?)
    case nothingToResume(path: String, reason: String)
    case dataChanged(file: String, reason: String)

    public var description: String {
        switch self {
        case .resumable(let destination, let staging):
            return "\(destination): an interrupted run left a checkpoint in \(staging); continue it with "
                + "`xnn train --resume \(destination)`, or pass --force to start over (the checkpoint is then deleted)"
        case .inUse(let path, let pid):
            return "\(path): another xnn process\(pid.map { " (pid \($0))" } ?? "") is writing it; wait for it or stop it first"
        case .nothingToResume(let path, let reason):
            return "\(path): nothing to resume: \(reason)"
        case .dataChanged(let file, let reason):
            return "\(file): the data changed since the checkpoint (\(reason)), so the run cannot continue as it was; "
                + "start it again with --force"
        }
    }
}
