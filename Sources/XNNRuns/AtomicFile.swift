import Foundation

/// Small result files (evaluation.json, results.csv, summary.html) written under a temporary name
/// and renamed into place, so a reader never sees half a file and an old one survives a failure.
public enum AtomicFile {
    /// Writes a text file atomically (temporary name, then rename), refusing to replace one unless `force`.
    public static func write(_ text: String, to path: String, force: Bool) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: path) && !force {
            throw RunError.cannotWrite(path: path, reason: "it exists; pass --force to replace it")
        }
        let temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try text.write(toFile: temporary, atomically: false, encoding: .utf8)
            guard rename(temporary, path) == 0 else {  // POSIX rename replaces atomically
                throw RunError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
        } catch let error as RunError {
            try? manager.removeItem(atPath: temporary)
            throw error
        } catch {
            try? manager.removeItem(atPath: temporary)
            throw RunError.cannotWrite(path: path, reason: error.localizedDescription)
        }
    }
}
