import Foundation
import XNNLinearAlgebra
import XNNTraining

/// `xnn bench`: per case the step's products at their exact shapes (the peak), the engine's training
/// and inference, and the peers on the same rows; then the streaming case and `xnn train`'s overheads.
public struct Benchmark {
    public var cases: [BenchmarkCase]
    public var threads: Int
    public var timedEpochs: Int
    /// Measurements of the engine and the peers per case, alternating (`BenchmarkRound`).
    public var rounds = 1
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
            var engines: [EngineMeasurement] = [], peerRounds: [[PeerResult]] = []
            for round in 1...rounds {
                let label = rounds > 1 ? "\(benchmark.label), round \(round)/\(rounds)" : benchmark.label
                progress("\(label): engine, \(benchmark.samples) samples × \(timedEpochs + 1) epochs, then inference")
                engines.append(try EngineBenchmark.measure(benchmark, data: data, threads: threads, timedEpochs: timedEpochs))
                peerRounds.append(try measurePeers(benchmark, label: label, data: data, progress: progress))
            }
            report.cases.append(Self.caseResult(benchmark, peak: peak, engines: engines, peerRounds: peerRounds))
        }
        if let streaming {
            report.streaming = try streaming.run(threads: threads, timedEpochs: timedEpochs, progress: progress)
        }
        if let overheads {
            report.overheads = try overheads.run(threads: threads, threadControl: threadControl, progress: progress)
        }
        return report
    }

    /// A case's rounds combined: the engine's and each peer's median round, and every round's figures.
    static func caseResult(_ benchmark: BenchmarkCase, peak: PeakAtShapes, engines: [EngineMeasurement],
                           peerRounds: [[PeerResult]]) -> BenchmarkReport.CaseResult {
        let rounds = zip(engines, peerRounds).map { engine, peers in
            BenchmarkRound(engineSamplesPerSecond: engine.samplesPerSecond,
                           peers: Dictionary(uniqueKeysWithValues: peers.compactMap { p in p.measurement.map { (p.peer, $0.samplesPerSecond) } }))
        }
        let peers = peerRounds[0].indices.map { index -> PeerResult in
            let results = peerRounds.map { $0[index] }
            return medianElement(results.filter { $0.measurement != nil }) { $0.measurement!.samplesPerSecond } ?? results[0]
        }
        return .init(benchmark: benchmark, flopsPerSample: benchmark.flopsPerSample,
                     engine: medianElement(engines) { $0.samplesPerSecond }!, peak: peak, peers: peers, rounds: rounds)
    }

    /// Every peer on the case's rows, written once to a scratch activation file.
    private func measurePeers(_ benchmark: BenchmarkCase, label: String, data: ActivationData,
                              progress: (String) -> Void) throws -> [PeerResult] {
        let running = peers.filter { declinedPeers[$0.name] == nil }
        guard !running.isEmpty else { return peers.map { .skipped($0, declinedPeers[$0.name]!) } }
        let file = (scratchDirectory as NSString).appendingPathComponent("xnn-bench-\(ProcessInfo.processInfo.processIdentifier).h5")
        try SyntheticActivations.write(data, to: file)
        defer { try? FileManager.default.removeItem(atPath: file) }
        return peers.map { peer in
            if let reason = declinedPeers[peer.name] { return .skipped(peer, reason) }
            progress("\(label): \(peer.title) reference")
            let interpreter = python ?? .preferred(repository: PythonInterpreter.repository(ofScript: peer.script))
            return peer.measure(python: interpreter, dataFile: file, benchmark: benchmark, threads: threads, timedEpochs: timedEpochs)
        }
    }
}
