import XNNLinearAlgebra

/// Facts about one concept the review pages state: how often it is active, and with it whether it
/// is nearly dead; which labels its strongest images carry; a fair sample of where it is 0.
enum ConceptFacts {
    enum State: Equatable {
        case dead
        /// Active on fewer rows than the trainer's `training.revive_below` share.
        case nearlyDead
        case alive
    }

    /// The share of `values` that are above 0.
    static func activeShare(_ values: [Float]) -> Double {
        values.isEmpty ? 0 : Double(values.filter { $0 > 0 }.count) / Double(values.count)
    }

    /// Dead when never active; nearly dead when active on a share below `reviveBelow` (the run's own
    /// `training.revive_below`, below which its trainer revived concepts); else alive.
    static func state(activeShare: Double, reviveBelow: Double) -> State {
        activeShare == 0 ? .dead : activeShare < reviveBelow ? .nearlyDead : .alive
    }

    /// The labels of `rows` with how many carry each, most frequent first (ties: by name).
    static func labelMix(rows: [Int], labels: [Int], classNames: [String]?) -> [(label: String, count: Int)] {
        var counts: [Int: Int] = [:]
        for row in rows { counts[labels[row], default: 0] += 1 }
        let name = { (label: Int) in classNames.flatMap { label >= 0 && label < $0.count ? $0[label] : nil } ?? String(label) }
        return counts.map { (name($0.key), $0.value) }.sorted { ($0.count, $1.label) > ($1.count, $0.label) }
    }

    /// Up to `count` of `rows`, drawn at random with `seed` (the same every time), in row order.
    static func sample(_ rows: [Int], count: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed)
        return Array(rows.shuffled(using: &generator).prefix(count)).sorted()
    }
}
