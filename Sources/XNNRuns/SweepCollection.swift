import Foundation

extension SweepRunner {
    /// What `xnn sweep FILE --collect` found: the results file it wrote from the finished points,
    /// and every other point with what is known of it.
    public struct Collection {
        public let resultsFile: String
        public let finished: Int
        public let unfinished: [(point: SweepPoint, status: SweepPoint.Status)]
    }

    /// Every point of the plan, by index.
    public func points() throws -> [SweepPoint] {
        try plan.runs.indices.map { try SweepPoint(runner: self, index: $0) }
    }

    /// Writes results.csv and summary.html (the ones a whole sweep writes) from whatever is
    /// finished, however it ran. Shares the folder with `--index` tasks, never with a whole sweep.
    public func collect() throws -> Collection {
        let folder = try SweepFolder(path: plan.outputDirectory, shared: true)
        defer { withExtendedLifetime(folder) {} }
        let statuses = try points().map { ($0, $0.status) }
        let unfinished = statuses.filter { $0.1 != .finished }
        return Collection(resultsFile: try writeResults(), finished: statuses.count - unfinished.count, unfinished: unfinished)
    }
}
