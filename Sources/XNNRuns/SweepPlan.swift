import Foundation
import XNNStorage
import XNNTraining
import Yams

/// A sweep file read and expanded: a base configuration, fixed overrides, and a grid whose
/// cartesian product gives one run per combination. Every run's configuration is resolved
/// (and so checked) before anything trains.
///
///     base: quickstart.yaml          # relative to the sweep file
///     output: runs/k-sweep           # default runs/<sweep file name>
///     jobs: 2                        # parallel runs (default: the core count); Slurm's %N
///     slurm: {time: "00:30:00"}      # what each Slurm task asks for (SlurmSettings)
///     sort_by: splits.test.faithfulness.r2   # the summary table's order (a results.csv column)
///     set: {training.epochs: 30}     # applied to every run
///     grid:
///       model.kind: [srae, autoencoder]
///       model.concepts: [2, 3, 5, 8]
///       seed: [1, 2]
public struct SweepPlan {
    public struct Run: Equatable, Sendable {
        /// Stable folder name built from the grid values, so a resumed sweep finds its runs again.
        public let name: String
        /// Grid values of this run, in grid order: (key path, value text).
        public let values: [SweepValue]
        /// Every `--set` of the run: the fixed ones, then the grid's.
        public let overrides: [String]
        public let configuration: RunConfiguration
    }

    public struct SweepValue: Equatable, Sendable {
        public let key: String
        public let value: String
    }

    public let file: String
    public let baseConfig: String
    public let outputDirectory: String
    public private(set) var jobs: Int
    /// The jobs the sweep file or `--jobs` gave; nil when `jobs` is this machine's default (its cores).
    public private(set) var jobsGiven: Int?
    /// The `slurm:` section: what `xnn sweep --slurm` asks for each task.
    public let slurm: SlurmSettings
    /// The metric the summary table is sorted by (descending).
    public let sortBy: String
    public let gridKeys: [String]
    public let runs: [Run]

    /// `checkFiles: false` expands a sweep whose data files are not made yet (e.g. the quality
    /// benchmark's before `scripts/bench_quality.sh` makes them); each run still checks at training.
    public init(file: String, checkFiles: Bool = true) throws {
        let document = try ConfigDocument(contentsOf: file)
        let root = try document.rootSection()
        self.file = file
        let folder = URL(fileURLWithPath: file).deletingLastPathComponent()
        let base: String = try root.required("base", expected: "the path of a training configuration, relative to the sweep file")
        let basePath = base.hasPrefix("/") ? base : folder.appendingPathComponent(base).path
        baseConfig = basePath
        // Paths written in the sweep file are relative to its folder (docs/configuration.md, "Paths").
        let folderPath = (file as NSString).deletingLastPathComponent
        let output: String? = try root.optional("output")
        outputDirectory = output.map { ConfigPaths.resolve($0, folder: folderPath) }
            ?? "runs/" + URL(fileURLWithPath: file).deletingPathExtension().lastPathComponent
        jobsGiven = try root.optional("jobs", expected: "a positive integer") { $0 > 0 }
        jobs = jobsGiven ?? ProcessInfo.processInfo.activeProcessorCount
        slurm = try SlurmSettings(section: root.section("slurm"))
        let sortable = SweepMetric.all.map(\.key).filter { $0 != SweepMetric.accepted.key }
        sortBy = try root.value("sort_by", default: SweepMetric.testR2.key, expected: "one of " + sortable.joined(separator: ", ")) { sortable.contains($0) }
        let fixed = try Self.pairs(root, "set", file: file, requireLists: false)
        let grid = try Self.pairs(root, "grid", file: file, requireLists: true)
        try root.finish()
        guard !grid.isEmpty else {
            throw ConfigError.missingKey(file: file, keyPath: "grid", expected: "a mapping of setting → list of values (the grid is empty)")
        }
        // Counted before the product is built: a grid of 10⁹ points must fail, not fill memory.
        let points = grid.reduce(1.0) { $0 * Double($1.values.count) }
        guard points <= Double(Self.maxRuns) else {
            throw ConfigError.invalidValue(file: file, keyPath: "grid", line: root.line(of: "grid"),
                                           expected: "at most \(Self.maxRuns) runs (the product of the lists' lengths)",
                                           found: points < 1e15 ? String(format: "%.0f runs", points) : String(format: "%.3g runs", points))
        }
        gridKeys = grid.map(\.key)
        let fixedOverrides = fixed.map { ConfigPaths.resolveOverride("\($0.key)=\($0.values[0])", folder: folderPath) }
        // Cartesian product, the last key varying fastest.
        var combinations: [[SweepValue]] = [[]]
        for (key, values, _) in grid {
            combinations = combinations.flatMap { prefix in values.map { prefix + [SweepValue(key: key, value: $0)] } }
        }
        let sources = fixed.map { ("set.\($0.key)", $0) } + grid.map { ("grid.\($0.key)", $0) }
        runs = try combinations.map { values in
            let overrides = fixedOverrides + values.map { ConfigPaths.resolveOverride("\($0.key)=\($0.value)", folder: folderPath) }
            do {
                let configuration = try RunConfiguration.load(file: basePath, overrides: overrides, checkFiles: checkFiles)
                return Run(name: Self.runName(values), values: values, overrides: overrides, configuration: configuration)
            } catch let error as ConfigError {
                // A bad key or value that the sweep file sets is the sweep file's error, not the base's.
                guard let keyPath = error.keyPath,
                      let (name, pair) = sources.first(where: { keyPath == $0.1.key || keyPath.hasPrefix($0.1.key + ".") }) else { throw error }
                throw error.blamed(on: file, keyPath: name + keyPath.dropFirst(pair.key.count), line: pair.line)
            }
        }
    }

    /// Most runs one sweep may expand to (docs/reliability.md).
    public static let maxRuns = 10_000

    /// The same plan with another number of parallel runs.
    public func withJobs(_ count: Int) -> SweepPlan {
        var copy = self
        copy.jobs = count
        copy.jobsGiven = count
        return copy
    }

    /// `set` or `grid`: key paths mapped to a value (or, for the grid, a non-empty list of values), as YAML text.
    static func pairs(_ root: ConfigSection, _ key: String, file: String, requireLists: Bool) throws -> [(key: String, values: [String], line: Int?)] {
        let section = try root.section(key)
        var result: [(key: String, values: [String], line: Int?)] = []
        for name in section.keys {
            let node = try section.node(named: name)
            var values: [Node]
            if case .sequence(let sequence) = node { values = Array(sequence) } else if requireLists {
                throw ConfigError.wrongType(file: file, keyPath: "\(key).\(name)", line: node.mark.map { $0.line },
                                            expected: "a list of values", found: "a single value")
            } else { values = [node] }
            if requireLists && values.isEmpty {
                throw ConfigError.invalidValue(file: file, keyPath: "\(key).\(name)", line: node.mark.map { $0.line },
                                               expected: "at least one value", found: "an empty list")
            }
            if !requireLists, case .sequence = node { values = [node] }
            result.append((name, try values.map { try Yams.serialize(node: $0).trimmingCharacters(in: .whitespacesAndNewlines) },
                           node.mark.map { $0.line }))
        }
        try section.finish()
        return result
    }

    /// "model.concepts=5, seed=2" → "concepts-5_seed-2"; characters outside [A-Za-z0-9.-] become "-".
    static func runName(_ values: [SweepValue]) -> String {
        values.map { value in
            let key = value.key.split(separator: ".").last.map(String.init) ?? value.key
            let text = "\(key)-\(value.value)"
            return String(text.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "-" })
        }.joined(separator: "_")
    }
}
