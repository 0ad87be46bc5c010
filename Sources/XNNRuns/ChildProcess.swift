import Foundation

/// Waiting for child processes (sweep runs, the benchmark's Python peers, tests of the `xnn`
/// binary) without trusting Foundation alone: its `isRunning` and `waitUntilExit` have been seen to
/// miss the end of a child that crashed or was killed early, and to wait forever on its zombie.
extension Process {
    /// The child's exit status, or the number of the signal that ended it, once it has ended; nil
    /// while it runs. Reaps the zombie itself when Foundation has not, so ask once it has ended
    /// and keep the answer: a reaped child cannot be asked again.
    public var endStatus: Int32? {
        guard isRunning else { return terminationStatus }
        var status: Int32 = 0
        guard waitpid(processIdentifier, &status, WNOHANG) == processIdentifier else { return nil }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : signal
    }

    /// Waits for the child to end (polling every 10 ms) and returns `endStatus`; past `timeout`
    /// the child is killed (status 9).
    @discardableResult
    public func waitForExit(timeout: TimeInterval = .infinity) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let status = endStatus { return status }
            if Date() > deadline { kill(processIdentifier, SIGKILL) }
            Thread.sleep(forTimeInterval: 0.01)
        }
    }
}
