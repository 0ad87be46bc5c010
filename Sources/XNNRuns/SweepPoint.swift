import Foundation

/// One point of a sweep on its own: `xnn sweep FILE --index I` (a Slurm array task, or by hand)
/// and what `--collect` says of it. Its index is its row in `xnn sweep FILE --plan`; its run
/// directory and log are the ones the whole sweep uses, so either way gives the same folder.
public struct SweepPoint {
    public enum Status: Equatable, Sendable {
        case finished
        /// A live process writes its staging folder (its PID, once recorded).
        case running(pid: Int32?)
        /// Stopped with a checkpoint kept (scancel, a time limit): `--index` continues it.
        case interrupted
        /// Ended without a run directory; the last line of its log.
        case failed(lastLine: String)
        case notRun
    }

    public let index: Int
    public let run: SweepPlan.Run
    let runner: SweepRunner

    /// Point `index` of the plan, or one clear line naming the sweep file and the valid range.
    public init(runner: SweepRunner, index: Int) throws {
        let count = runner.plan.runs.count
        guard runner.plan.runs.indices.contains(index) else {
            throw SweepPointError.noSuchPoint(file: runner.plan.file, index: index, count: count)
        }
        self.index = index
        self.run = runner.plan.runs[index]
        self.runner = runner
    }

    public var directory: String { runner.directory(of: run) }
    public var log: String { runner.log(of: run) }

    public var status: Status {
        if runner.isFinished(run) { return .finished }
        let leftovers = RunDirectory.leftovers(of: URL(fileURLWithPath: directory), path: directory)
        for leftover in leftovers { if case .alive(let pid) = leftover.owner { return .running(pid: pid) } }
        if resumable(leftovers) { return .interrupted }
        if let line = SweepRunner.lastLine(ofLog: log) { return .failed(lastLine: line) }
        return .notRun
    }

    /// A staging folder whose process is gone and that holds a checkpoint: `xnn train --resume` continues it.
    private func resumable(_ leftovers: [RunDirectory.Leftover]) -> Bool {
        leftovers.contains { leftover in
            if case .gone = leftover.owner { return leftover.hasCheckpoint }
            return false
        }
    }

    /// Trains this point unless it is finished (then it returns): this process becomes its
    /// `xnn train` (exec), from the checkpoint an interrupted run left when there is one, else from
    /// the start, writing to the point's log. So the task's signals (scancel, a time limit) reach
    /// the training itself, which keeps a checkpoint, and its exit status is the task's. The
    /// training keeps the sweep folder's shared lock, so a whole `xnn sweep` cannot start meanwhile.
    public func trainInPlace(cores: Int, announce: (String) -> Void) throws {
        let folder = try SweepFolder(path: runner.plan.outputDirectory, shared: true)
        let status = self.status
        switch status {
        case .finished: return announce("point \(index) (\(run.name)): already finished in \(directory)")
        case .running(let pid): throw SweepPointError.beingTrained(directory: directory, pid: pid)
        default: break
        }
        try runner.makeLogsFolder()
        let resumed = status == .interrupted
        let arguments = resumed ? ["train", "--resume", directory, "--quiet", "--cores", String(cores)] : runner.trainArguments(run, cores: cores)
        announce("point \(index) (\(run.name)): \(resumed ? "resuming from its checkpoint" : "training") into \(directory) on \(cores) core(s); log: \(log)")
        let output = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard output >= 0 else { throw RunError.cannotWrite(path: log, reason: String(cString: strerror(errno))) }
        folder.keepAcrossExec()
        guard dup2(output, STDOUT_FILENO) >= 0, dup2(output, STDERR_FILENO) >= 0 else {
            throw RunError.cannotWrite(path: log, reason: String(cString: strerror(errno)))
        }
        let path = runner.executable.path
        var argv: [UnsafeMutablePointer<CChar>?] = ([path] + arguments).map { strdup($0) } + [nil]
        execv(path, &argv)
        let reason = String(cString: strerror(errno))
        FileHandle.standardError.write(Data("xnn: error: \(path): cannot start xnn train: \(reason)\n".utf8))
        exit(1)  // stderr is the log now: the reason is there, where --collect reads it
    }

    /// How `--collect` names this point when it is not finished.
    public func describe(_ status: Status) -> String {
        let prefix = "point \(index) (\(run.name))"
        switch status {
        case .finished: return "\(prefix): finished"
        case .running(let pid): return "\(prefix): still training (process \(pid.map(String.init) ?? "starting"))"
        case .interrupted: return "\(prefix): interrupted with a checkpoint kept; --index \(index) continues it"
        case .failed(let line): return "\(prefix): failed: \(line) (log: \(log))"
        case .notRun: return "\(prefix): not run"
        }
    }
}

public enum SweepPointError: Error, CustomStringConvertible, Equatable {
    case noSuchPoint(file: String, index: Int, count: Int)
    case beingTrained(directory: String, pid: Int32?)

    public var description: String {
        switch self {
        case .noSuchPoint(let file, let index, let count):
            return "\(file): --index: expected a point of the plan, 0 to \(count - 1) (xnn sweep \(file) --plan lists them), found \(index)"
        case .beingTrained(let directory, let pid):
            return "\(directory): being trained by process \(pid.map(String.init) ?? "(starting)") (a live staging folder beside it); not trained twice at once"
        }
    }
}
