import Foundation
import XNNRuns

/// The Python that runs the peer scripts and their tests: the repository's `.venv` (made by
/// `scripts/python_env.sh --peers`) when it exists, else `python3` from the PATH.
public struct PythonInterpreter: Sendable, Equatable {
    /// An executable path, or a name looked up in the PATH.
    public let path: String

    public init(path: String) { self.path = path }

    /// The venv's interpreter inside `repository`, where it exists; else `python3`.
    public static func preferred(repository: String) -> PythonInterpreter {
        let venv = (repository as NSString).appendingPathComponent(".venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: venv) ? PythonInterpreter(path: venv) : PythonInterpreter(path: "python3")
    }

    /// The repository a script such as `scripts/torch_reference.py` belongs to: the folder above its own.
    public static func repository(ofScript script: String) -> String {
        let folder = (script as NSString).deletingLastPathComponent
        let parent = (folder as NSString).deletingLastPathComponent
        return parent.isEmpty ? "." : parent
    }

    public struct Completed: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs the interpreter with `arguments` in `directory` (default: the current one) and waits.
    public func run(_ arguments: [String], in directory: URL? = nil) throws -> Completed {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [path] + arguments
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both pipes at once: a script filling one while we block on the other would never end.
        let stderr = ReadInBackground(err.fileHandleForReading)
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        return Completed(status: process.waitForExit(), stdout: String(decoding: stdout, as: UTF8.self),
                         stderr: String(decoding: stderr.wait(), as: UTF8.self))
    }
}

/// A pipe read to its end on another thread; `wait()` returns what it held.
private final class ReadInBackground: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        DispatchQueue.global().async {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
