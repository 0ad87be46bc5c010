import Foundation
import XNNStorage

/// Everything one `xnn bench` measured: per case the engine (training and inference), the peak at
/// the step's shapes and the peers; the 1024³ SGEMM; the streaming case and `xnn train`'s overheads.
public struct BenchmarkReport: Codable, Sendable {
    public struct CaseResult: Codable, Sendable {
        public let benchmark: BenchmarkCase
        public let flopsPerSample: Double
        /// The engine in the median round (by samples/s).
        public let engine: EngineMeasurement
        /// Every product of the step at its exact shape, each through the fastest provider.
        public let peak: PeakAtShapes
        /// Every peer, measured (its median round) or skipped with the reason, in the order they ran.
        public let peers: [PeerResult]
        /// Every round's samples/s, in the order measured (one unless `--rounds`).
        public let rounds: [BenchmarkRound]

        /// The engine's effective GFLOP/s as a share of the peak at these shapes.
        public var shareOfPeak: Double { engine.gflops / peak.gflops }

        /// Engine samples/s over the peer's, when the peer was measured: the median of the rounds'
        /// ratios (with one round, simply the ratio).
        public func speedup(over peer: String) -> Double? { rounds.medianSpeedup(over: peer) }
    }

    public let threads: Int
    public let blasConfiguration: String
    /// A large square SGEMM (1024³) through the engine's pool: a secondary, shape-free reference.
    public let square: GEMMMeasurement
    /// The GEMM providers raced at every shape (GEMMCandidate.candidates).
    public let providers: [String]
    public var cases: [CaseResult]
    public var streaming: StreamingResult?
    public var overheads: OverheadBenchmark.Result?

    public init(threads: Int, blasConfiguration: String, square: GEMMMeasurement, providers: [String], cases: [CaseResult]) {
        self.threads = threads
        self.blasConfiguration = blasConfiguration
        self.square = square
        self.providers = providers
        self.cases = cases
    }

    /// Training from a file larger than the memory budget against the same file in memory.
    public struct StreamingResult: Codable, Sendable {
        public let benchmark: BenchmarkCase
        public let fileMegabytes: Double
        public let budgetMegabytes: Double
        public let chunkRows: Int
        public let bufferRows: Int
        public let inMemorySamplesPerSecond: Double
        public let streamedSamplesPerSecond: Double
        public var ratio: Double { streamedSamplesPerSecond / inMemorySamplesPerSecond }
    }

    /// The peers' names in the order they appear.
    var peerNames: [String] {
        var names: [String] = []
        for result in cases { for peer in result.peers where !names.contains(peer.peer) { names.append(peer.peer) } }
        return names
    }

    public func json() throws -> String { try JSONText.encode(self) }
}
