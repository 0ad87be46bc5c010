import Foundation
import XCTest
@testable import XNNBenchmark

/// The report's arithmetic and wording on figures chosen by hand, and the peer protocol on fake scripts.
final class BenchmarkReportTests: XCTestCase {
    func report(engine: Double = 1000, torch: PeerResult? = nil, jax: PeerResult? = nil) -> BenchmarkReport {
        report(rounds: [(engine, [torch, jax].compactMap { $0 })])
    }

    /// A report of one case measured in the given rounds (engine samples/s, peers).
    func report(rounds: [(engine: Double, peers: [PeerResult])]) -> BenchmarkReport {
        let benchmark = BenchmarkCase(dimension: 8, hiddenWidths: [4], concepts: 2, batchSize: 10, samples: 100)
        let shape = ProductShape(m: 10, n: 4, k: 8, transposeB: true)
        // One shape whose FLOPs are the whole step's, at 2 GFLOP/s: the peak is 2 GFLOP/s.
        let peak = PeakAtShapes(products: [.init(shape: shape, count: 1, timings: [.init(provider: "a", gflops: 1), .init(provider: "b", gflops: 2)])])
        let engines = rounds.map { round in
            EngineMeasurement(samplesPerSecond: round.engine, gflops: round.engine * benchmark.flopsPerSample / 1e9, timedEpochs: 2,
                              inferenceSamplesPerSecond: 6 * round.engine)
        }
        let result = Benchmark.caseResult(benchmark, peak: peak, engines: engines, peerRounds: rounds.map(\.peers))
        return BenchmarkReport(threads: 2, blasConfiguration: "test", square: GEMMMeasurement(shape: ProductShape(m: 4, n: 4, k: 4), gflops: 9),
                               providers: ["a", "b"], cases: [result])
    }

    func testRatiosShareOfPeakAndSkipsInTheTable() throws {
        let report = report(engine: 1000, torch: .measured(.torch(), .init(samplesPerSecond: 400, version: "2.13")),
                            jax: .skipped(.jax(), "jax is not importable (No module named 'jax')"))
        let result = report.cases[0]
        XCTAssertEqual(result.speedup(over: "torch")!, 2.5, accuracy: 1e-12)
        XCTAssertNil(result.speedup(over: "jax"))
        XCTAssertEqual(result.shareOfPeak, result.engine.gflops / 2, accuracy: 1e-12)
        XCTAssertEqual(result.engine.inferenceToTraining!, 6, accuracy: 1e-12)
        let lines = report.table.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0].split(separator: "  ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty },
                       ["case", "engine samples/s", "GFLOP/s", "peak at these shapes", "% of peak", "torch samples/s", "engine/torch",
                        "jax samples/s", "engine/jax", "inference samples/s", "inference/training"])
        let cells = lines[1].split(separator: " ").map(String.init)
        XCTAssertEqual(Array(cells.suffix(6)), ["400", "2.50×", "—", "—", "6000", "6.0×"])
        XCTAssertTrue(cells.contains("2.0"), lines[1])  // the peak at these shapes, GFLOP/s
        XCTAssertTrue(report.table.contains("jax skipped: jax is not importable (No module named 'jax')"), report.table)
        XCTAssertTrue(report.table.contains("fastest of a, b"), report.table)
        XCTAssertTrue(report.table.contains("SGEMM 4×4×4 NN: 9.0 GFLOP/s"), report.table)
    }

    /// Rounds: each column is its median round, each ratio the median of the rounds' own ratios
    /// (here 3.0×, where the ratio of the medians would be 2.5×); a peer measured in one round only
    /// keeps that round; every round is listed below the table.
    func testRoundsGiveMediansAndTheMedianRatio() throws {
        func torch(_ speed: Double) -> PeerResult { .measured(.torch(), .init(samplesPerSecond: speed, version: "2.13")) }
        let skipped = PeerResult.skipped(.jax(), "jax failed once")
        let report = report(rounds: [(1000, [torch(500), skipped]), (900, [torch(300), .measured(.jax(), .init(samplesPerSecond: 600, version: "0.10"))]),
                                     (1200, [torch(400), skipped])])
        let result = report.cases[0]
        XCTAssertEqual(result.engine.samplesPerSecond, 1000)
        XCTAssertEqual(result.peers[0].measurement?.samplesPerSecond, 400)
        XCTAssertEqual(result.speedup(over: "torch")!, 3.0, accuracy: 1e-12)
        XCTAssertEqual(result.peers[1].measurement?.samplesPerSecond, 600)
        XCTAssertEqual(result.speedup(over: "jax")!, 1.5, accuracy: 1e-12)
        XCTAssertEqual(result.rounds.map(\.engineSamplesPerSecond), [1000, 900, 1200])
        XCTAssertTrue(report.table.contains("D=8 4 k=2 B=10, 3 rounds: engine 1000 / 900 / 1200; torch 500 / 300 / 400 (2.00× / 3.00× / 3.00×); "
                                            + "jax — / 600 / — (— / 1.50× / —)"), report.table)
        let decoded = try JSONDecoder().decode(BenchmarkReport.self, from: Data(try report.json().utf8))
        XCTAssertEqual(decoded.cases[0].rounds, result.rounds)
        XCTAssertFalse(self.report(engine: 1000, torch: torch(400)).table.contains("rounds"), "one round: no round lines")
    }

    func testOverheadLineAddsUp() {
        let o = OverheadBenchmark.Result(benchmark: BenchmarkCase(dimension: 8, hiddenWidths: [4], concepts: 2, batchSize: 10, samples: 500),
                                         fits: 3, epochs: 2, totalSeconds: 10, epochSeconds: 6, startSeconds: 1.5, firstStartSeconds: 1, loadSeconds: 0.5, betweenEpochsSeconds: 0.25,
                                         acceptanceSeconds: 1, outputSeconds: 1.25, revivedConcepts: 1)
        XCTAssertEqual(o.outsideEpochsSeconds, 4)
        let line = BenchmarkReport.overheadLine(o)
        XCTAssertTrue(line.contains("3 fits × 2 epochs: 10.00 s total, 6.00 s in epochs"), line)
        XCTAssertTrue(line.contains("4.00 s outside (40%): start 1.50 s (first fit 1.00 s, of which loading the file 0.50 s), between epochs 0.25 s, acceptance 1.00 s, outputs 1.25 s"), line)
    }

    /// A peer script speaks one JSON line; status 3 is "not importable"; anything else is a failure with stderr's last line.
    func testPeerProtocolOnFakeScripts() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("peer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func peer(_ body: String) throws -> PeerResult {
            let script = folder.appendingPathComponent("peer.sh")
            try body.write(to: script, atomically: true, encoding: .utf8)
            let benchmark = BenchmarkCase(dimension: 8, hiddenWidths: [4, 3], concepts: 2, batchSize: 10, samples: 100)
            return Peer(name: "fake", title: "Fake", script: script.path)
                .measure(python: PythonInterpreter(path: "sh"), dataFile: "data.h5", benchmark: benchmark, threads: 2, timedEpochs: 1)
        }
        let measured = try peer(#"echo "args: $*" >&2; echo noise; echo '{"samplesPerSecond": 123.5, "version": "9.9"}'"#)
        XCTAssertEqual(measured.measurement, PeerMeasurement(samplesPerSecond: 123.5, version: "9.9"))
        let arguments = try peer(#"echo "$*" >&2; exit 3"#)
        XCTAssertEqual(arguments.skipped, "--data data.h5 --hidden 4 3 --concepts 2 --batch 10 --threads 2 --epochs 1 --json [sh]")
        let missing = try peer("echo 'fake: jax is not importable' >&2; exit 3")
        XCTAssertEqual(missing.skipped, "fake: jax is not importable [sh]")
        let failed = try peer("echo 'Traceback' >&2; echo 'ValueError: bad' >&2; exit 1")
        XCTAssertEqual(failed.skipped, "peer.sh failed: ValueError: bad")
        let garbled = try peer("echo 'not json'")
        XCTAssertEqual(garbled.skipped, "peer.sh printed no {\"samplesPerSecond\", \"version\"} line last, but 'not json'")
    }

    func testPreferredPythonIsTheVenvWhenPresent() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("venv-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertEqual(PythonInterpreter.preferred(repository: folder.path).path, "python3")
        let bin = folder.appendingPathComponent(".venv/bin")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: bin.appendingPathComponent("python").path, contents: Data("#!/bin/sh\n".utf8),
                                       attributes: [.posixPermissions: 0o755])
        XCTAssertEqual(PythonInterpreter.preferred(repository: folder.path).path, folder.path + "/.venv/bin/python")
        XCTAssertEqual(PythonInterpreter.repository(ofScript: "scripts/jax_reference.py"), ".")
        XCTAssertEqual(PythonInterpreter.repository(ofScript: "/r/scripts/jax_reference.py"), "/r")
    }
}
