import ArgumentParser
import Foundation
import XNNRuns

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Train every combination of a grid of settings, in parallel and resumably, and tabulate the metrics.",
        discussion: "Finished runs are skipped when the sweep is started again. Results: OUTPUT/results.csv and OUTPUT/summary.html.")

    @Argument(help: "The sweep file (base configuration, grid, jobs, output).")
    var sweep: String

    @Option(name: .long, help: "Parallel runs (overrides the file's jobs).")
    var jobs: Int?

    @Flag(name: .long, help: "Print the table of points (index, run directory, settings) and train nothing.")
    var plan = false

    func run() throws {
        try Terminal.reportingErrors {
            // The table only lists the points: their data files need not exist yet.
            var plan = try SweepPlan(file: sweep, checkFiles: !self.plan)
            if self.plan { print(plan.table(), terminator: ""); return }
            if let jobs { plan = plan.withJobs(max(1, jobs)) }
            let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            let outcome = try SweepRunner(plan: plan, executable: executable).run(progress: Terminal.printError)
            print("results: \(outcome.resultsFile) (\(outcome.trained.count) trained, \(outcome.skipped.count) skipped, \(outcome.failed.count) failed)")
            for failure in outcome.failed { Terminal.printError("xnn: error: run \(failure.name) failed: \(failure.message)") }
            if !outcome.failed.isEmpty { throw ExitCode(ExitStatus.failure) }
        }
    }
}
