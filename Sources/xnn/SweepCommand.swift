import ArgumentParser
import Foundation
import XNNRuns

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Train every combination of a grid of settings, in parallel and resumably, and tabulate the metrics.",
        discussion: """
            Finished runs are skipped when the sweep is started again. Results: OUTPUT/results.csv, OUTPUT/summary.html and \
            OUTPUT/summary.json (with a grid over model.concepts, the k to use and why). \
            On a cluster: --slurm writes (and --submit submits) a Slurm job array, one task per point of --plan, each an \
            --index run, and a --collect job after it (docs/sweeps.md).
            """)

    @Argument(help: "The sweep file (base configuration, grid, jobs, output).")
    var sweep: String

    @Option(name: .long, help: "Parallel runs (overrides the file's jobs); with --slurm, the array's %N.")
    var jobs: Int?

    @Flag(name: .long, help: "Print the table of points (index, run directory, settings) and train nothing.")
    var plan = false

    @Option(name: .long, help: ArgumentHelp("Train only point I of --plan (skipped when finished; continued from its checkpoint when interrupted).", valueName: "I"))
    var index: Int?

    @Option(name: .long, help: "With --index: the cores its training may use (its BLAS threads; default: all).")
    var cores: Int?

    @Flag(name: .long, help: "Write results.csv and summary.html from the finished points and name the others; exit status 1 if any is not finished.")
    var collect = false

    @Flag(name: .long, help: "With --collect: exit status 0 even when points are not finished.")
    var allowMissing = false

    @OptionGroup var slurm: SlurmOptions

    func validate() throws {
        let modes = [plan, index != nil, collect, slurm.slurm].filter { $0 }.count
        if modes > 1 { throw ValidationError("choose one of --plan, --index, --collect and --slurm") }
        if let index, index < 0 { throw ValidationError("--index must be 0 or more, got \(index)") }
        if let cores, cores < 1 { throw ValidationError("--cores must be positive, got \(cores)") }
        if cores != nil && index == nil { throw ValidationError("--cores goes with --index (a whole sweep divides the cores among its jobs)") }
        if allowMissing && !collect { throw ValidationError("--allow-missing goes with --collect") }
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be positive, got \(jobs)") }
        try slurm.validate()
    }

    func run() throws {
        try Terminal.reportingErrors {
            // The table only lists the points: their data files need not exist yet.
            var plan = try SweepPlan(file: sweep, checkFiles: !self.plan)
            if self.plan { print(plan.table(), terminator: ""); return }
            if let jobs { plan = plan.withJobs(jobs) }
            let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            let runner = SweepRunner(plan: plan, executable: executable)
            if let index {
                return try SweepPoint(runner: runner, index: index)
                    .trainInPlace(cores: cores ?? ProcessInfo.processInfo.activeProcessorCount, announce: Terminal.printError)
            }
            if collect { return try collectResults(runner) }
            if slurm.slurm { return try slurm.write(runner) }
            let outcome = try runner.run(progress: Terminal.printError)
            print("results: \(outcome.resultsFile) (\(outcome.trained.count) trained, \(outcome.skipped.count) skipped, \(outcome.failed.count) failed)")
            for failure in outcome.failed { Terminal.printError("xnn: error: run \(failure.name) failed: \(failure.message)") }
            if !outcome.failed.isEmpty { throw ExitCode(ExitStatus.failure) }
        }
    }

    private func collectResults(_ runner: SweepRunner) throws {
        let collection = try runner.collect()
        print("results: \(collection.resultsFile) (\(collection.finished) of \(runner.plan.runs.count) points finished)")
        for (point, status) in collection.unfinished { Terminal.printError("xnn: \(allowMissing ? "note" : "error"): \(point.describe(status))") }
        if !collection.unfinished.isEmpty && !allowMissing { throw ExitCode(ExitStatus.failure) }
    }
}
