import Foundation
import XNNRuns

/// Runs the built `xnn` binary in a folder, as a user would, and collects its output.
enum XNNProcess {
    /// The xnn executable beside the test binary (.build/<triple>/<configuration>/xnn); `swift build
    /// --build-tests` builds both. `XNN_TEST_EXECUTABLE` names another one (e.g. an older build, to
    /// show which cases of the bad-input suite it fails).
    static var executable: URL {
        if let other = ProcessInfo.processInfo.environment["XNN_TEST_EXECUTABLE"] { return URL(fileURLWithPath: other) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("xnn")
    }

    /// With `fileSizeLimitKB`, xnn runs under `ulimit -f` with SIGXFSZ ignored, so a write past the
    /// limit fails with EFBIG as on a full disk.
    static func run(_ arguments: [String], in folder: URL, fileSizeLimitKB: Int? = nil,
                    timeout: TimeInterval = 300) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        if let limit = fileSizeLimitKB {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            // POSIX sh counts ulimit -f in 512-byte blocks.
            process.arguments = ["-c", "trap '' XFSZ; ulimit -f \(limit * 2); exec \"$0\" \"$@\"", executable.path] + arguments
        } else {
            process.executableURL = executable
            process.arguments = arguments
        }
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // A hang is a failure too: past `timeout` the process is killed and reports as signal 9.
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let stdout = out.fileHandleForReading.readDataToEndOfFile(), stderr = err.fileHandleForReading.readDataToEndOfFile()
        let status = waitForExit(process, timeout: timeout)
        watchdog.cancel()
        return (status, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// Waits for `process` to end and returns its status; past `timeout` the child is killed
    /// (status 9), so a hang is a failure, not a stuck test run (XNNRuns' `Process.waitForExit`).
    @discardableResult
    static func waitForExit(_ process: Process, timeout: TimeInterval = 300) -> Int32 {
        process.waitForExit(timeout: timeout)
    }
}
