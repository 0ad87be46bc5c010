import Foundation

/// Writes a run into a hidden temporary folder beside its destination and renames it into place
/// only when everything is written, so a failed or interrupted run never leaves a half-written
/// directory, and an existing run is replaced only when asked (`force`).
public struct RunDirectory {
    public let destination: URL
    public let staging: URL
    public let force: Bool
    /// The parent folder, when this run had to create it (removed again if the run fails).
    let createdParent: URL?
    /// The lock that tells other processes this staging folder's owner is alive (StagingOwner.swift).
    let owner: StagingOwner

    /// The file every folder xnn writes carries: `--force` replaces only folders that have it, so it
    /// never deletes what xnn did not make.
    public static let marker = ".xnn-output"

    /// Checks the destination before any work starts; staging folders that dead processes left
    /// beside it are removed or reported (`notice`), see RunDirectory+Staging.swift.
    public init(path: String, force: Bool, notice: (String) -> Void = { _ in }) throws {
        destination = URL(fileURLWithPath: path).standardizedFileURL
        self.force = force
        let manager = FileManager.default
        let parent = destination.deletingLastPathComponent()
        try Self.checkParentIsAFolder(parent, path: path)
        try Self.settleLeftovers(of: destination, path: path, force: force, notice: notice)
        try Self.checkReplaceable(destination, path: path, force: force)
        staging = Self.stagingURL(for: destination, pid: ProcessInfo.processInfo.processIdentifier)
        createdParent = manager.fileExists(atPath: parent.path) ? nil : parent
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            if manager.fileExists(atPath: staging.path) { try manager.removeItem(at: staging) }
            try manager.createDirectory(at: staging, withIntermediateDirectories: false)
            try "written by xnn; xnn --force may replace this folder\n".write(
                to: staging.appendingPathComponent(Self.marker), atomically: false, encoding: .utf8)
        } catch {
            throw RunError.cannotWrite(path: staging.path, reason: error.localizedDescription)
        }
        owner = try StagingOwner.claim(staging)
    }

    /// The nearest existing ancestor of the run directory must be a folder: otherwise say which
    /// file stands in the way, not what creating a hidden staging folder under it reported.
    static func checkParentIsAFolder(_ parent: URL, path: String) throws {
        var ancestor = parent
        var isFolder: ObjCBool = false
        while !FileManager.default.fileExists(atPath: ancestor.path, isDirectory: &isFolder) && ancestor.path != "/" {
            ancestor = ancestor.deletingLastPathComponent()
        }
        guard isFolder.boolValue else {
            throw RunError.cannotWrite(path: path, reason: "\(ancestor.path) is a file, not a folder")
        }
    }

    /// The path of a file inside the (staging) run directory.
    public func file(_ name: String) -> String { staging.appendingPathComponent(name).path }

    public func write(_ text: String, to name: String) throws {
        do { try text.write(toFile: file(name), atomically: false, encoding: .utf8) } catch {
            throw RunError.cannotWrite(path: file(name), reason: error.localizedDescription)
        }
    }

    /// Moves the finished run into place; an old run there (allowed by `force`) is removed only now.
    /// A run that appeared meanwhile (another process) is not replaced without `force` either.
    public func commit() throws {
        let manager = FileManager.default
        try Self.checkReplaceable(destination, path: destination.path, force: force)
        do {
            if manager.fileExists(atPath: destination.path) {
                let old = destination.deletingLastPathComponent()
                    .appendingPathComponent(".\(destination.lastPathComponent).replaced-\(ProcessInfo.processInfo.processIdentifier)")
                try manager.moveItem(at: destination, to: old)
                try manager.moveItem(at: staging, to: destination)
                try manager.removeItem(at: old)
            } else {
                try manager.moveItem(at: staging, to: destination)
            }
        } catch {
            throw RunError.cannotWrite(path: destination.path, reason: error.localizedDescription)
        }
        owner.release(removingRecordIn: destination)
    }

    /// Stages a folder at `path` (refused before any work when it exists without `force`), lets
    /// `body` fill it, and moves it into place; on any error the staging folder is removed.
    public static func produce<Result>(at path: String, force: Bool, _ body: (RunDirectory) throws -> Result) throws -> Result {
        let directory = try RunDirectory(path: path, force: force)
        do {
            let result = try body(directory)
            try directory.commit()
            return result
        } catch {
            directory.abandon()
            throw error
        }
    }

    /// Nothing at `destination`, or (with `force`) a folder xnn wrote.
    static func checkReplaceable(_ destination: URL, path: String, force: Bool) throws {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: destination.path, isDirectory: &isDirectory) else { return }
        guard force else { throw RunError.outputExists(directory: path) }
        guard isDirectory.boolValue, manager.fileExists(atPath: destination.appendingPathComponent(marker).path) else {
            throw RunError.notReplaceable(path: path)
        }
    }

    /// Removes the staging folder after a failure.
    public func abandon() {
        let manager = FileManager.default
        try? manager.removeItem(at: staging)
        owner.release(removingRecordIn: nil)
        if let createdParent, (try? manager.contentsOfDirectory(atPath: createdParent.path))?.isEmpty == true {
            try? manager.removeItem(at: createdParent)
        }
    }
}
