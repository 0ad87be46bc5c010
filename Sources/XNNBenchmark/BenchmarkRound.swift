/// One round of a case: the engine's and each measured peer's training samples/s, taken one right
/// after the other. `xnn bench --rounds N` measures N rounds alternately, so that the VM's slow
/// spells (10–30 % from run to run here) fall on both sides of a ratio; the report gives medians.
public struct BenchmarkRound: Codable, Sendable, Equatable {
    public let engineSamplesPerSecond: Double
    /// Samples/s of the peers measured in this round, by name; skipped peers are absent.
    public let peers: [String: Double]

    public init(engineSamplesPerSecond: Double, peers: [String: Double]) {
        self.engineSamplesPerSecond = engineSamplesPerSecond
        self.peers = peers
    }

    /// The engine's speed over the peer's in this round, when the peer was measured.
    public func speedup(over peer: String) -> Double? { peers[peer].map { engineSamplesPerSecond / $0 } }
}

extension Array where Element == BenchmarkRound {
    /// The median of the rounds' engine/peer ratios (each round pairs measurements taken minutes
    /// apart at most); nil when the peer was never measured.
    func medianSpeedup(over peer: String) -> Double? { medianElement(compactMap { $0.speedup(over: peer) }) { $0 } }
}

/// The median element by `key`: the middle one, or of an even count the lower middle one (a
/// measured run, never an average of two).
func medianElement<T>(_ values: [T], by key: (T) -> Double) -> T? {
    guard !values.isEmpty else { return nil }
    return values.sorted { key($0) < key($1) }[(values.count - 1) / 2]
}
