import XNNStorage

/// The `data:` section: which file, datasets and split to train on.
public struct DataConfiguration: Encodable, Equatable, Sendable {
    /// HDF5 file with the activations (in a configuration file, relative to the file's folder).
    public var file: String
    /// Dataset of pooled activations, N × D.
    public var activations = "activations"
    /// Dataset of class scores to rebuild, N × C (logits).
    public var targets = "logits"
    /// Columns of `targets` to explain; empty means all.
    public var targetColumns: [Int] = []
    /// Dataset of 0/1 flags, 1 = held out; when absent the split is random.
    public var testMask: String?
    /// Share held out when splitting at random.
    public var testFraction = 0.2
    /// Share of the remaining rows set aside to choose the epoch and the settings (never the test rows).
    public var validationFraction = 0.1
    /// Dataset of one integer group id per row (e.g. the source photo of each crop): a group's rows
    /// are always in the same split.
    public var groups: String?
    /// Subtract the training mean and divide by the standard deviation of each activation dimension.
    public var standardizeActivations = false
    /// The same for the targets; metrics are always reported in the original units.
    public var standardizeTargets = false
    /// Megabytes the activations may take in memory; a larger file is streamed from disk (0 = no limit).
    public var memoryBudgetMB = 0.0

    enum CodingKeys: String, CodingKey {
        case file, activations, targets, targetColumns = "target_columns", testMask = "test_mask"
        case testFraction = "test_fraction", validationFraction = "validation_fraction", groups
        case standardizeActivations = "standardize_activations"
        case standardizeTargets = "standardize_targets", memoryBudgetMB = "memory_budget_mb"
    }

    public init(file: String) {
        self.file = file
    }

    public init(section: ConfigSection) throws {
        self.init(file: try section.required(CodingKeys.file.stringValue, expected: "the path of an HDF5 activation file"))
        try section.read(&activations, CodingKeys.activations)
        try section.read(&targets, CodingKeys.targets)
        try section.read(&targetColumns, CodingKeys.targetColumns, expected: "a list of non-negative column indices") {
            $0.allSatisfy { $0 >= 0 }
        }
        if let twice = targetColumns.enumerated().first(where: { targetColumns.prefix($0.offset).contains($0.element) })?.element {
            throw ConfigError.invalidValue(file: section.file, keyPath: section.keyPath(CodingKeys.targetColumns.stringValue),
                                           line: section.line(of: CodingKeys.targetColumns.stringValue),
                                           expected: "each column once", found: "column \(twice) twice")
        }
        try section.read(&testMask, CodingKeys.testMask)
        try section.read(&testFraction, CodingKeys.testFraction, expected: "a number in [0, 1)") { $0 >= 0 && $0 < 1 }
        try section.read(&validationFraction, CodingKeys.validationFraction, expected: "a number in [0, 0.5]") { $0 >= 0 && $0 <= 0.5 }
        try section.read(&groups, CodingKeys.groups)
        try section.read(&standardizeActivations, CodingKeys.standardizeActivations)
        try section.read(&standardizeTargets, CodingKeys.standardizeTargets)
        try section.read(&memoryBudgetMB, CodingKeys.memoryBudgetMB, expected: "a non-negative number of megabytes (0 = no limit)") { $0 >= 0 }
        try section.finish()
    }
}
