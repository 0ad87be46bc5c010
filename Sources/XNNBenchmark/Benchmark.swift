import Foundation
import XNNLinearAlgebra
import XNNTraining

/// `xnn bench`: per case the step's products at their exact shapes (the peak), the engine's training
/// and inference, and the peers on the same rows; then the streaming case and `xnn train`'s overheads.
public struct Benchmark {
    public var cases: [BenchmarkCase]
    public var threads: Int
    public var timedEpochs: Int
    /// The peer scripts to run on every case's rows, in the report's order.
    public var peers: [Peer]
    /// Peers not to run, by name, with the reason reported on every case (e.g. "not requested (--no-jax)").
    public var declinedPeers: [String: String] = [:]
    /// nil: each peer's repository `.venv/bin/python` when it exists, else `python3`.
    public var python: PythonInterpreter?
    /// Where the activation files for the peers go.
    public var scratchDirectory: String
    /// The streaming case, if any.
    public var streaming: StreamingBenchmark?
    /// The whole-run overheads, if wanted.
    public var overheads: OverheadBenchmark?
    /// Who sets the BLAS thread count (`.openBLAS` from `xnn bench`); every measurement uses `threads`.
    public var threadControl = ComputeThreads.unchanged
    /// Seconds each GEMM provider spends on each of a step's shapes, and on the 1024³ product.
    public var secondsPerShape = 0.15
    public var secondsForSquare = 1.0

    public init(cases: [BenchmarkCase], threads: Int = 2, timedEpochs: Int = 2, peers: [Peer] = [.torch(), .jax()],
                scratchDirectory: String = NSTemporaryDirectory()) {
        self.cases = cases
        self.threads = threads
        self.timedEpochs = timedEpochs
        self.peers = peers
        self.scratchDirectory = scratchDirectory
    }

    public func run(progress: (String) -> Void = { _ in }) throws -> BenchmarkReport {
        let pool = threadControl.use(threads)
        let providers = GEMMCandidate.candidates(threads: threads, pool: pool)
        progress("SGEMM 1024×1024×1024")
        let square = GEMMBenchmark.measure(ProductShape(m: 1024, n: 1024, k: 1024), minimumSeconds: secondsForSquare, pool: pool)
        var report = BenchmarkReport(threads: threads, blasConfiguration: BLAS.configuration, square: square,
                                     providers: providers.map(\.name), cases: [])
        for benchmark in cases {
            let data = SyntheticActivations.make(rows: benchmark.samples, dimension: benchmark.dimension,
                                                 outputs: benchmark.outputs, seed: 1)
            progress("\(benchmark.label): every product of the step at its shape")
            _ = threadControl.use(threads)  // a previous measurement may have changed it
            let peak = PeakAtShapes.measure(benchmark.architecture, batch: benchmark.batchSize, providers: providers,
                                            minimumSeconds: secondsPerShape)
            progress("\(benchmark.label): engine, \(benchmark.samples) samples × \(timedEpochs + 1) epochs, then inference")
            let engine = try EngineBenchmark.measure(benchmark, data: data, threads: threads, timedEpochs: timedEpochs)
            let peerResults = try measurePeers(benchmark, data: data, progress: progress)
            report.cases.append(.init(benchmark: benchmark, flopsPerSample: benchmark.flopsPerSample, engine: engine,
                                      peak: peak, peers: peerResults))
        }
        if let streaming {
            report.streaming = try streaming.run(threads: threads, timedEpochs: timedEpochs, progress: progress)
        }
        if let overheads {
            report.overheads = try overheads.run(threads: threads, threadControl: threadControl, progress: progress)
        }
        return report
    }

    /// Every peer on the case's rows, written once to a scratch activation file.
    private func measurePeers(_ benchmark: BenchmarkCase, data: ActivationData, progress: (String) -> Void) throws -> [PeerResult] {
        let running = peers.filter { declinedPeers[$0.name] == nil }
        guard !running.isEmpty else { return peers.map { .skipped($0, declinedPeers[$0.name]!) } }
        let file = (scratchDirectory as NSString).appendingPathComponent("xnn-bench-\(ProcessInfo.processInfo.processIdentifier).h5")
        try SyntheticActivations.write(data, to: file)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return peers.map { peer in
            if let reason = declinedPeers[peer.name] { return .skipped(peer, reason) }
            progress("\(benchmark.label): \(peer.title) reference")
            let interpreter = python ?? .preferred(repository: PythonInterpreter.repository(ofScript: peer.script))
            return peer.measure(python: interpreter, dataFile: file, benchmark: benchmark, threads: threads, timedEpochs: timedEpochs)
        }
    }
}
