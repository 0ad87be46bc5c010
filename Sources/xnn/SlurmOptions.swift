import ArgumentParser
import Foundation
import XNNRuns

/// `xnn sweep FILE --slurm`: the job array's scripts, their settings and their submission (docs/sweeps.md).
struct SlurmOptions: ParsableArguments {
    @Flag(name: .long, help: "Write OUTPUT/slurm/array.sbatch (one task per point) and collect.sbatch; print how to submit them.")
    var slurm = false

    @Flag(name: .long, help: "With --slurm: the array holds only the points not finished (nor still training).")
    var onlyMissing = false

    @Flag(name: .long, help: "With --slurm: submit the array, then the collect job after it (--dependency=afterany).")
    var submit = false

    @Option(name: .long, help: "With --slurm: each task's time limit (overrides slurm.time), e.g. 00:30:00.")
    var time: String?

    @Option(name: .long, help: "With --slurm: each task's memory (overrides slurm.memory), e.g. 4G.")
    var memory: String?

    @Option(name: .long, help: "With --slurm: each task's cores, its BLAS threads (overrides slurm.cpus_per_task).")
    var cpusPerTask: Int?

    @Option(name: .long, help: "With --slurm: the partition (overrides slurm.partition).")
    var partition: String?

    func validate() throws {
        if !slurm && (onlyMissing || submit || time != nil || memory != nil || cpusPerTask != nil || partition != nil) {
            throw ValidationError("--only-missing, --submit, --time, --memory, --cpus-per-task and --partition go with --slurm")
        }
        func check(_ flag: String, _ value: String?, _ isValid: (String) -> Bool, _ expected: String) throws {
            if let value, !isValid(value) { throw ValidationError("\(flag): expected \(expected), found \"\(value)\"") }
        }
        try check("--time", time, SlurmSettings.isTime, SlurmSettings.timeExpected)
        try check("--memory", memory, SlurmSettings.isMemory, SlurmSettings.memoryExpected)
        try check("--partition", partition, SlurmSettings.isPartition, SlurmSettings.partitionExpected)
        if let cpusPerTask, cpusPerTask < 1 { throw ValidationError("--cpus-per-task must be positive, got \(cpusPerTask)") }
    }

    func write(_ runner: SweepRunner) throws {
        let plan = runner.plan
        var indices = Array(plan.runs.indices)
        if onlyMissing {
            let statuses = try runner.points().map { ($0, $0.status) }
            for (point, status) in statuses { if case .running = status { Terminal.printError("xnn: note: \(point.describe(status)); left out") } }
            indices = statuses.filter {
                if case .running = $0.1 { return false }
                return $0.1 != .finished
            }.map(\.0.index)
            guard !indices.isEmpty else { return print("all \(plan.runs.count) points are finished or training: nothing to submit; collect with xnn sweep \(plan.file) --collect") }
        }
        let settings = plan.slurm.overridden(by: SlurmSettings(time: time, memory: memory, cpusPerTask: cpusPerTask, partition: partition))
        let scripts = SlurmScripts(plan: plan, settings: settings, indices: indices,
                                   executable: runner.executable.path, workingDirectory: FileManager.default.currentDirectoryPath)
        try scripts.write()
        print("points: \(SlurmScripts.arraySpec(indices)) (\(indices.count) of \(plan.runs.count))")
        print("array: \(scripts.arrayPath)\ncollect: \(scripts.collectPath)")
        guard submit else {
            return print("submit: jid=$(sbatch --parsable \(scripts.arrayPath)) && sbatch --dependency=afterany:${jid%%;*} \(scripts.collectPath)")
        }
        let jobs = try SlurmSubmission.submit(scripts)
        print("submitted: array job \(jobs.array), collect job \(jobs.collect) (after it)")
    }
}
