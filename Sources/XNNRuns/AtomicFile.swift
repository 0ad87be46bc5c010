import Foundation
import XNNStorage

/// Result files (evaluation.json, results.csv, summary.html, HDF5 outputs) written under a
/// temporary name and renamed into place, so a reader never sees half a file and an old one
/// survives a failure.
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

    /// An HDF5 file written by `body` under a temporary name and renamed into place; nothing is
    /// left behind when `body` fails.
    public static func writeHDF5(to path: String, _ body: (HDF5File) throws -> Void) throws {
        let temporary = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            let file = try HDF5File(path: temporary, mode: .truncate)
            try body(file)
            try file.finishWriting()
            file.close()
            guard rename(temporary, path) == 0 else { throw RunError.cannotWrite(path: path, reason: String(cString: strerror(errno))) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }

    /// An HDF5 output may replace an existing file only with `force`, and only one an xnn command
    /// wrote (its root attribute `format` is `format`).
    public static func checkReplaceableHDF5(_ path: String, force: Bool, format: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        guard force else { throw RunError.cannotWrite(path: path, reason: "it exists; pass --force to replace it") }
        guard (try? HDF5File(path: path).stringAttribute("format")) == format else {
            throw RunError.notReplaceableFile(path: path, format: format)
        }
    }
}
