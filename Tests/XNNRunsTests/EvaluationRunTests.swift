import Foundation
import XCTest
import XNNTestSupport
import XNNLinearAlgebra
import XNNStorage
import XNNTraining
@testable import XNNRuns

/// `xnn evaluate` and `xnn compare` on runs trained on small synthetic data with known concepts.
final class EvaluationRunTests: FolderTestCase {
    /// Activations built from 3 non-negative ground-truth concepts; the target is their weighted sum.
    func writeConceptData(_ name: String, rows: Int = 200, seed: UInt64 = 3) throws -> String {
        var generator = SeededGenerator(seed: seed)
        let d = 10
        let loadings = (0..<(3 * d)).map { _ in generator.nextFloat(in: 0, 1) }
        var concepts = [Float](), activations = [Float](), targets = [Float]()
        for _ in 0..<rows {
            let c = (0..<3).map { _ in max(0, generator.nextFloat(in: -1, 1)) }
            concepts += c
            for j in 0..<d { activations.append((0..<3).reduce(0) { $0 + c[$1] * loadings[$1 * d + j] }) }
            targets.append(2 * c[0] - c[1] + 0.5 * c[2])
        }
        let file = try HDF5File(path: path(name), mode: .truncate)
        try file.write("activations", floats: activations, shape: [rows, d])
        try file.write("logits", floats: targets, shape: [rows, 1])
        try file.write("concepts", floats: concepts, shape: [rows, 3])
        file.close()
        return path(name)
    }

    func train(_ data: String, to name: String, seed: Int = 1) throws -> SavedRun {
        var c = RunConfiguration(data: DataConfiguration(file: data))
        c.seed = seed
        c.model.hiddenWidths = [16]
        c.model.concepts = 3
        c.training.epochs = 6
        c.training.batchSize = 20
        c.training.threads = 1
        c.training.acceptance.enabled = false
        _ = try TrainingRun(configuration: c, outputDirectory: path(name), force: false).execute()
        return try SavedRun(directory: path(name))
    }

    func testEvaluationAgreesWithTrainingMetricsAndReportsRecovery() throws {
        let run = try train(try writeConceptData("d.h5"), to: "run")
        let report = try RunEvaluation.evaluate(run)
        let metrics = try JSONDecoder().decode(MetricsReport.self, from: Data(contentsOf: URL(fileURLWithPath: path("run/metrics.json"))))
        // Same model, same samples, same code path: the same numbers.
        XCTAssertEqual(report.splits, metrics.splits)
        XCTAssertEqual(report.schemaVersion, metrics.schemaVersion)
        let recovery = try XCTUnwrap(report.splits["test"]?.referenceConcepts)
        XCTAssertEqual(recovery.pairs.count, 3)
        XCTAssertTrue(recovery.correlations.allSatisfy { $0 >= 0 && $0 <= 1 })
        // Another file with the same layout is evaluated whole.
        let other = try RunEvaluation.evaluate(run, dataFile: try writeConceptData("other.h5", rows: 50, seed: 9))
        XCTAssertEqual(other.splits.keys.sorted(), ["data"])
        XCTAssertEqual(other.splits["data"]?.samples, 50)
    }

    func testReportIsNotOverwrittenWithoutForce() throws {
        let target = path("evaluation.json")
        try AtomicFile.write("first\n", to: target, force: false)
        XCTAssertThrowsError(try AtomicFile.write("second\n", to: target, force: false))
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "first\n")
        try AtomicFile.write("second\n", to: target, force: true)
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "second\n")
    }

    func testComparingARunWithItselfMatchesEveryConceptPerfectly() throws {
        let data = try writeConceptData("d.h5")
        let a = try train(data, to: "a")
        let same = try RunComparison.compare(a, a)
        let dead = try RunEvaluation.evaluate(a).splits["train"]!.concepts.deadConcepts
        for (pair, r) in zip(same.pairs, same.correlations) where !dead.contains(pair[0]) {
            XCTAssertEqual(pair[0], pair[1])
            XCTAssertEqual(r, 1, accuracy: 1e-6)
        }
        let b = try train(data, to: "b", seed: 2)
        let other = try RunComparison.compare(a, b)
        XCTAssertEqual(other.pairs.count, 3)
        XCTAssertLessThanOrEqual(other.meanCorrelation, 1 + 1e-9)
        XCTAssertThrowsError(try SavedRun(directory: path("missing"))) { error in
            XCTAssertEqual("\(error)", "\(self.path("missing")): expected a run directory from xnn train, no such directory")
        }
    }
}
