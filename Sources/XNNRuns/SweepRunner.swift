import Foundation
import XNNEvaluation
import XNNStorage

/// Runs a sweep's trainings as `xnn train` subprocesses, at most `jobs` at a time with the cores
/// divided among them. One sweep at a time holds the output folder (`SweepFolder`), and its
/// trainings die with it. Resumable: a run whose directory holds metrics.json is done (run
/// directories appear only when complete), so a re-run skips it; the staging folders of
/// trainings that were killed are removed and those runs are trained again from the start.
public struct SweepRunner {
    public struct Outcome: Sendable {
        public var trained: [String] = []
        public var skipped: [String] = []
        /// Run name and the last line its training printed.
        public var failed: [(name: String, message: String)] = []
        public var resultsFile: String = ""
    }

    public let plan: SweepPlan
    /// The `xnn` executable that trains each run.
    public let executable: URL

    public init(plan: SweepPlan, executable: URL) {
        self.plan = plan
        self.executable = executable
    }

    public func directory(of run: SweepPlan.Run) -> String { (plan.outputDirectory as NSString).appendingPathComponent(run.name) }

    public func isFinished(_ run: SweepPlan.Run) -> Bool {
        FileManager.default.fileExists(atPath: (directory(of: run) as NSString).appendingPathComponent("metrics.json"))
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> Outcome {
        let folder = try SweepFolder(path: plan.outputDirectory)
        try makeLogsFolder()
        // A run another process is still training is left to it: never trained twice at once.
        let busy = try folder.removeStagingFolders()
        var outcome = Outcome()
        let pending = plan.runs.filter { run in
            if isFinished(run) { outcome.skipped.append(run.name); return false }
            return !busy.contains { $0.run == run.name }
        }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let jobs = max(1, min(plan.jobs, pending.count))
        let share = max(1, cores / jobs)
        progress("sweep: \(plan.runs.count) runs, \(outcome.skipped.count) already done, \(pending.count) to train, \(jobs) at a time on up to \(share) core(s) each")
        let start = Date()
        var queue = pending[...]
        var running: [(run: SweepPlan.Run, process: Process, log: String)] = []
        // SIGINT/SIGTERM stop the trainings too (their half-written runs are redone on the next start).
        let interrupt = InterruptFlag()
        defer { interrupt.restore() }
        while !queue.isEmpty || !running.isEmpty {
            if interrupt.isSet {
                for job in running { job.process.terminate() }
                for job in running { job.process.waitForExit() }
                throw RunError.interrupted(finished: outcome.trained.count, remaining: queue.count + running.count)
            }
            while running.count < jobs, let run = queue.popFirst() {
                let logFile = log(of: run)
                // Tied to this process (--parent), so that the training ends when the sweep does.
                let arguments = trainArguments(run, cores: share) + ["--parent", String(getpid())]
                running.append((run, try launch(arguments, log: logFile), logFile))
            }
            Thread.sleep(forTimeInterval: 0.1)
            for (index, job) in running.enumerated().reversed() {
                guard let status = job.process.endStatus else { continue }
                running.remove(at: index)
                if status == 0 {
                    outcome.trained.append(job.run.name)
                } else {
                    outcome.failed.append((job.run.name, Self.lastLine(ofLog: job.log) ?? "exit status \(status)"))
                }
                let done = outcome.trained.count + outcome.failed.count
                let elapsed = Date().timeIntervalSince(start)
                let left = elapsed / Double(done) * Double(pending.count - done)
                progress(String(format: "sweep: %d/%d trained%@  (%@ %@)  elapsed %.0f s, about %.0f s left", done, pending.count,
                                outcome.failed.isEmpty ? "" : ", \(outcome.failed.count) failed",
                                job.run.name, status == 0 ? "done" : "FAILED", elapsed, left))
            }
        }
        for staged in busy {
            outcome.failed.append((staged.run, "still being trained by process \(staged.pid) (staging folder .\(staged.run).partial-\(staged.pid)); start the sweep again when it has ended"))
        }
        outcome.resultsFile = try writeResults()
        withExtendedLifetime(folder) {}  // the lock is held until the results are written
        return outcome
    }

    /// results.csv and summary.html from the finished runs, whichever way they ran (this sweep,
    /// `--index` tasks, or both); returns the results file's path.
    func writeResults() throws -> String {
        let summary = try summary()
        let resultsFile = (plan.outputDirectory as NSString).appendingPathComponent("results.csv")
        try AtomicFile.write(resultsTable(summary), to: resultsFile, force: true)
        try AtomicFile.write(summary.html(sortedBy: plan.sortBy, directory: plan.outputDirectory), to: (plan.outputDirectory as NSString).appendingPathComponent("summary.html"), force: true)
        try AtomicFile.write(try JSONText.encode(summary.jsonSummary()), to: (plan.outputDirectory as NSString).appendingPathComponent("summary.json"), force: true)
        return resultsFile
    }

    /// A run's log: `OUTPUT/logs/<name>.log`, however the run was started.
    public func log(of run: SweepPlan.Run) -> String {
        (plan.outputDirectory as NSString).appendingPathComponent("logs/\(run.name).log")
    }

    func makeLogsFolder() throws {
        let logs = (plan.outputDirectory as NSString).appendingPathComponent("logs")
        do { try FileManager.default.createDirectory(atPath: logs, withIntermediateDirectories: true) } catch {
            throw RunError.cannotWrite(path: logs, reason: error.localizedDescription)
        }
    }

    /// The last line a training printed: on failure, its error.
    static func lastLine(ofLog path: String) -> String? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        return text.split(whereSeparator: \.isNewline).last.map(String.init)
    }

    /// `xnn train` for one run: its configuration's own `training.threads` (the one default of
    /// docs/configuration.md) and automatic counts held to `cores`.
    func trainArguments(_ run: SweepPlan.Run, cores: Int) -> [String] {
        ["train", plan.baseConfig, "--quiet", "--out", directory(of: run), "--cores", String(cores)] + run.overrides.flatMap { ["--set", $0] }
    }

    /// Starts `xnn` with `arguments`, its output going to `log`.
    func launch(_ arguments: [String], log: String) throws -> Process {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        guard FileManager.default.createFile(atPath: log, contents: nil) else {
            throw RunError.cannotWrite(path: log, reason: "cannot create the log file")
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    /// The finished runs' settings and metrics (held-out split when there is one).
    public func summary() throws -> SweepSummary {
        var rows: [SweepSummary.Row] = []
        for run in plan.runs where isFinished(run) {
            let path = (directory(of: run) as NSString).appendingPathComponent("metrics.json")
            let metrics = try JSONDecoder().decode(MetricsReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            var values = [SweepSummary.conceptsKey: Double(run.configuration.model.concepts),
                          SweepSummary.pullAwayKey: Double(run.configuration.loss.pullAway)]
            for metric in SweepMetric.all { values[metric.key] = metric.value(metrics) }
            rows.append(.init(run: run.name, settings: Dictionary(uniqueKeysWithValues: run.values.map { ($0.key, $0.value) }),
                              metrics: values, deadConcepts: metrics.train.concepts.deadConcepts.map(String.init).joined(separator: " ")))
        }
        try addStability(to: &rows)
        return SweepSummary(title: "Sweep " + URL(fileURLWithPath: plan.file).lastPathComponent, gridKeys: plan.gridKeys, rows: rows)
    }

    /// When the grid varies the seed: for each setting (the other grid values), the mean matched
    /// concept correlation over every pair of its seeds (docs/method.md §5 stability), on the run's own samples.
    func addStability(to rows: inout [SweepSummary.Row]) throws {
        guard plan.gridKeys.contains("seed") else { return }
        func setting(_ row: SweepSummary.Row) -> [String] { plan.gridKeys.filter { $0 != "seed" }.map { row.settings[$0] ?? "" } }
        let groups = Dictionary(grouping: rows.indices, by: { setting(rows[$0]) })
        for indices in groups.values where indices.count > 1 {
            let runs = try indices.map { try SavedRun(directory: (plan.outputDirectory as NSString).appendingPathComponent(rows[$0].run)) }
            var total = 0.0, pairs = 0
            for a in 0..<runs.count {
                for b in (a + 1)..<runs.count {
                    total += try RunComparison.compare(runs[a], runs[b]).meanCorrelation
                    pairs += 1
                }
            }
            for i in indices { rows[i].metrics[SweepMetric.stability.key] = total / Double(pairs) }
        }
    }

    /// results.csv: one row per finished run, its grid values and its metrics.
    public func resultsTable(_ summary: SweepSummary) -> String {
        let columns = SweepMetric.all.map(\.key)
        var lines = [(["run"] + plan.gridKeys + columns + ["dead_concepts"]).map(csvField).joined(separator: ",")]
        for row in summary.rows {
            let settings = plan.gridKeys.map { row.settings[$0] ?? "" }
            let values = columns.map { column in
                column == SweepMetric.accepted.key ? String(row.metrics[column] == 1) : row.metrics[column].map(number) ?? ""
            }
            lines.append(([row.run] + settings + values + [row.deadConcepts]).map(csvField).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func number(_ x: Double) -> String { String(format: "%.6g", x) }

    private func csvField(_ text: String) -> String {
        text.contains(",") || text.contains("\"") ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}

/// Set when the process receives SIGINT or SIGTERM, so a loop can stop its children cleanly.
final class InterruptFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private var sources: [DispatchSourceSignal] = []

    init() {
        for signalNumber in [SIGINT, SIGTERM] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { [weak self] in self?.raise() }
            source.resume()
            sources.append(source)
        }
    }

    private func raise() { lock.lock(); raised = true; lock.unlock() }

    var isSet: Bool { lock.lock(); defer { lock.unlock() }; return raised }

    /// Puts the default signal handling back.
    func restore() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
