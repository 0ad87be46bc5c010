import XNNLinearAlgebra
import XNNStorage

/// What each row is used for: fitting the weights, choosing among epochs and settings
/// (validation), or the final, untouched measurement (test).
public enum SplitRole: Sendable {
    case train, validation, test
}

/// Assigns every row a role. Test rows come from the `test_mask` dataset when the configuration
/// names one, else a random share (`test_fraction`) drawn with the run's seed; validation rows are
/// a random share (`validation_fraction`) of the rest. With `groups`, rows of one group (crops of
/// one photo) always share a role, so neither held-out set leaks into training.
enum DataSplit {
    static func roles(_ h5: HDF5File, configuration: DataConfiguration, rows n: Int, seed: Int) throws -> [SplitRole] {
        let groups = try groupIDs(h5, configuration: configuration, rows: n)
        var roles = [SplitRole](repeating: .train, count: n)
        if let maskName = configuration.testMask {
            let mask = try perRowIntegers(h5, name: maskName, configuration: configuration, rows: n)
            try DataChecks.checkTestMask(mask, name: maskName, file: configuration.file)
            for r in 0..<n where mask[r] == 1 { roles[r] = .test }
        } else {
            draw(share: configuration.testFraction, of: .train, as: .test, in: &roles, groups: groups, seed: seed, stream: 1)
        }
        draw(share: configuration.validationFraction, of: .train, as: .validation, in: &roles, groups: groups, seed: seed, stream: 2)
        return roles
    }

    /// Moves `share` of the rows in role `from` (whole groups at a time) to role `to`.
    static func draw(share: Double, of from: SplitRole, as to: SplitRole, in roles: inout [SplitRole],
                     groups: [Int], seed: Int, stream: UInt64) {
        guard share > 0 else { return }
        var members: [Int: [Int]] = [:]
        var order: [Int] = []
        for r in roles.indices where roles[r] == from {
            if members[groups[r]] == nil { order.append(groups[r]) }
            members[groups[r], default: []].append(r)
        }
        let eligible = order.reduce(0) { $0 + members[$1]!.count }
        var generator = SeededGenerator(seed: UInt64(seed), stream: stream)
        generator.shuffle(&order)
        let wanted = Int((Double(eligible) * share).rounded())
        var moved = 0
        for group in order where moved < wanted {
            for r in members[group]! { roles[r] = to }
            moved += members[group]!.count
        }
    }

    /// The group of each row from `data.groups`, or each row its own group.
    static func groupIDs(_ h5: HDF5File, configuration: DataConfiguration, rows n: Int) throws -> [Int] {
        guard let name = configuration.groups else { return Array(0..<n) }
        return try perRowIntegers(h5, name: name, configuration: configuration, rows: n)
    }

    /// A dataset of one integer per row (n or n × 1), as the test mask and the group ids are.
    static func perRowIntegers(_ h5: HDF5File, name: String, configuration: DataConfiguration, rows n: Int) throws -> [Int] {
        try DataChecks.requireIntegerType(h5, name: name, file: configuration.file)
        let (values, shape) = try h5.readInts(name)
        guard values.count == n, shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
            throw DataError.rowCountMismatch(file: configuration.file, dataset: name, expected: n, found: shape.first ?? 0,
                                             reference: configuration.activations)
        }
        return values
    }
}
