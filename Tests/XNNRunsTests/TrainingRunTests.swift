import Foundation
import XCTest
import XNNTestSupport
import XNNLinearAlgebra
import XNNModel
import XNNStorage
import XNNTraining
@testable import XNNRuns

/// End-to-end runs on a small synthetic activation file: outputs, reproducibility, bad input.
final class TrainingRunTests: FolderTestCase {
    /// Non-negative activations and two targets that depend on them non-linearly.
    func writeData(_ name: String = "data.h5", rows: Int = 160, columns: Int = 12, poison: Float? = nil,
                   targetRows: Int? = nil) throws -> String {
        var generator = SeededGenerator(seed: 11)
        var activations = [Float](), targets = [Float](), mask = [UInt8]()
        for i in 0..<rows {
            let row = (0..<columns).map { _ in max(0, generator.nextFloat(in: -0.5, 1.5)) }
            activations += row
            if i < (targetRows ?? rows) {
                targets += [row[0] * 2 - row[1] + max(0, row[2] - 0.5), row[3] + 0.5 * row[4] * row[5]]
            }
            mask.append(i % 5 == 0 ? 1 : 0)
        }
        if let poison { activations[columns * 7 + 3] = poison }
        let file = try HDF5File(path: path(name), mode: .truncate)
        try file.write("activations", floats: activations, shape: [rows, columns])
        try file.write("logits", floats: targets, shape: [targets.count / 2, 2])
        try file.write("test_mask", bytes: mask, shape: [rows])
        try file.write("class_names", strings: ["first", "second"])
        file.close()
        return path(name)
    }

    func configuration(data: String, extra: [String] = []) throws -> RunConfiguration {
        var c = RunConfiguration(data: DataConfiguration(file: data))
        c.seed = 3
        c.data.testMask = "test_mask"
        c.model.hiddenWidths = [16, 8]
        c.model.concepts = 3
        c.training.epochs = 4
        c.training.batchSize = 20
        c.training.threads = 1
        c.training.acceptance.maxRetries = 1
        return try c.overridden(extra, source: "test.yaml")
    }

    func testRunWritesEveryOutput() throws {
        let data = try writeData()
        let summary = try TrainingRun(configuration: try configuration(data: data), outputDirectory: path("run"), force: false).execute()
        for name in ["config.yaml", "model.h5", "concepts.h5", "history.csv", "metrics.json"] {
            XCTAssertTrue(FileManager.default.fileExists(atPath: path("run/\(name)")), name)
        }
        let metrics = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path("run/metrics.json")))) as! [String: Any]
        let splits = try XCTUnwrap(metrics["splits"] as? [String: Any])
        for split in ["train", "validation", "test"] {
            let block = try XCTUnwrap(splits[split] as? [String: Any], split)
            for key in ["faithfulness", "concept_orthogonality", "contribution_orthogonality", "reconstruction", "concepts"] {
                XCTAssertNotNil(block[key], "splits.\(split).\(key)")
            }
        }
        XCTAssertEqual(Set(metrics.keys), ["schema_version", "splits", "concept_weights", "target_names", "acceptance", "revived_concepts", "fits"])
        // One pass of the trained model over the 160 rows feeds concepts.h5 and metrics.json.
        XCTAssertEqual(summary.inferredRows, 160)
        // 128 non-test rows: 10 % of them (13) choose the epoch, the other 115 fit the weights.
        XCTAssertEqual(summary.metrics.train.samples, 115)
        XCTAssertEqual(summary.metrics.splits["validation"]?.samples, 13)
        XCTAssertEqual(summary.metrics.test?.samples, 32)
        XCTAssertEqual(summary.metrics.targetNames, ["first", "second"])
        let concepts = try HDF5File(path: path("run/concepts.h5"))
        XCTAssertEqual(try concepts.info("concepts").shape, [160, 3])
        XCTAssertEqual(try concepts.info("contributions").shape, [160, 2, 3])
        let history = try String(contentsOfFile: path("run/history.csv"), encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(history.first.map(String.init), HistoryTable.header)
        XCTAssertGreaterThanOrEqual(history.count, 5)
        // The saved model rebuilds the same predictions.
        let saved = try ModelFile.read(from: path("run/model.h5"))
        XCTAssertEqual(saved.model.conceptWeights, summary.outcome.model.conceptWeights)
        XCTAssertEqual(try RunConfiguration.parse(yaml: saved.configuration), try configuration(data: data))
    }

    /// model.h5 records the hidden layers' activation (readers outside xnn need not assume it); a
    /// file naming another one is refused, naming the attribute, rather than read wrongly.
    func testModelFileRecordsTheHiddenActivation() throws {
        let data = try writeData()
        _ = try TrainingRun(configuration: try configuration(data: data), outputDirectory: path("run"), force: false).execute()
        let model = path("run/model.h5")
        let file = try HDF5File(path: model, mode: .readWrite)
        XCTAssertEqual(try file.stringAttribute("hidden_activation"), "relu")
        try file.setAttribute("hidden_activation", "sigmoid")
        file.close()
        XCTAssertThrowsError(try ModelFile.read(from: model)) { error in
            XCTAssertTrue("\(error)".contains("found hidden_activation = sigmoid, expected relu"), "\(error)")
        }
    }

    func testEveryBaselineKindTrainsSavesAndReloads() throws {
        let data = try writeData()
        for kind in ["pca", "nmf", "channel_clusters", "autoencoder", "srae_no_reconstruction"] {
            let summary = try TrainingRun(configuration: try configuration(data: data, extra: ["model.kind=\(kind)"]),
                                          outputDirectory: path(kind), force: false).execute()
            let saved = try SavedRun(directory: path(kind))
            XCTAssertEqual(saved.model.conceptWeights, summary.outcome.model.conceptWeights, kind)
            let report = try RunEvaluation.evaluate(saved)
            XCTAssertEqual(report.splits["test"]?.faithfulness.r2 ?? .nan, summary.metrics.test?.faithfulness.r2 ?? .nan, accuracy: 1e-5, kind)
        }
        let pca = try RunEvaluation.evaluate(try SavedRun(directory: path("pca")))
        XCTAssertEqual(pca.splits["train"]?.conceptOrthogonality.maxAbsoluteCosine ?? 1, 0, accuracy: 1e-3, "PCA scores are uncorrelated")
    }

    func testSameSeedGivesIdenticalMetricsAndWeights() throws {
        let data = try writeData()
        let config = try configuration(data: data, extra: ["model.dropout=0.1"])
        _ = try TrainingRun(configuration: config, outputDirectory: path("a"), force: false).execute()
        _ = try TrainingRun(configuration: config, outputDirectory: path("b"), force: false).execute()
        XCTAssertEqual(try String(contentsOfFile: path("a/metrics.json"), encoding: .utf8),
                       try String(contentsOfFile: path("b/metrics.json"), encoding: .utf8))
        let a = try XCTUnwrap(ModelFile.read(from: path("a/model.h5")).model as? SRAE)
        let b = try XCTUnwrap(ModelFile.read(from: path("b/model.h5")).model as? SRAE)
        for (p, q) in zip(a.parameters, b.parameters) { XCTAssertEqual(p.value.toArray(), q.value.toArray(), p.name) }
        // A different seed gives a different model.
        _ = try TrainingRun(configuration: try configuration(data: data, extra: ["model.dropout=0.1", "seed=4"]), outputDirectory: path("c"), force: false).execute()
        XCTAssertNotEqual(try String(contentsOfFile: path("a/metrics.json"), encoding: .utf8),
                          try String(contentsOfFile: path("c/metrics.json"), encoding: .utf8))
    }

    func testExistingRunIsNeverOverwrittenWithoutForce() throws {
        let data = try writeData()
        _ = try TrainingRun(configuration: try configuration(data: data), outputDirectory: path("run"), force: false).execute()
        let before = try String(contentsOfFile: path("run/metrics.json"), encoding: .utf8)
        XCTAssertThrowsError(try TrainingRun(configuration: try configuration(data: data, extra: ["seed=9"]),
                                             outputDirectory: path("run"), force: false).execute()) { error in
            XCTAssertEqual(error as? RunError, .outputExists(directory: self.path("run")))
        }
        XCTAssertEqual(try String(contentsOfFile: path("run/metrics.json"), encoding: .utf8), before)
        _ = try TrainingRun(configuration: try configuration(data: data, extra: ["seed=9"]), outputDirectory: path("run"), force: true).execute()
        XCTAssertNotEqual(try String(contentsOfFile: path("run/metrics.json"), encoding: .utf8), before)
        // No staging folders are left behind.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasPrefix(".") }, [])
    }

    func errorLine(_ config: RunConfiguration) -> String {
        do { _ = try TrainingRun(configuration: config, outputDirectory: path("bad"), force: false).execute() } catch {
            XCTAssertFalse(FileManager.default.fileExists(atPath: path("bad")), "a failed run left its directory")
            return "\(error)"
        }
        XCTFail("expected an error")
        return ""
    }

    func testBadInputsGiveOneLineErrorsAndLeaveNothing() throws {
        let good = try writeData()
        let missing = errorLine(try configuration(data: path("nope.h5")))
        XCTAssertEqual(missing, "\(path("nope.h5")): file not found")
        let noDataset = errorLine(try configuration(data: good, extra: ["data.activations=activation"]))
        XCTAssertTrue(noDataset.hasPrefix("\(good): dataset 'activation' not found (available: activations, class_names, logits, test_mask)"), noDataset)
        let nan = errorLine(try configuration(data: try writeData("nan.h5", poison: .nan)))
        XCTAssertEqual(nan, "\(path("nan.h5")): dataset 'activations': expected finite numbers, found nan at row 7, column 3")
        let inf = errorLine(try configuration(data: try writeData("inf.h5", poison: .infinity)))
        XCTAssertEqual(inf, "\(path("inf.h5")): dataset 'activations': expected finite numbers, found inf at row 7, column 3")
        let rows = errorLine(try configuration(data: try writeData("rows.h5", targetRows: 150)))
        XCTAssertEqual(rows, "\(path("rows.h5")): dataset 'logits': expected 160 rows (one per row of 'activations'), found 150")
        let column = errorLine(try configuration(data: good, extra: ["data.target_columns=[5]"]))
        XCTAssertEqual(column, "\(good): dataset 'logits': data.target_columns names column 5, but it has 2 columns (0…1)")
        let rank = errorLine(try configuration(data: good, extra: ["data.activations=test_mask"]))
        XCTAssertEqual(rank, "\(good): dataset 'test_mask': expected a 2-D array (samples × features) with at least one feature, found shape [160]")
        let strings = errorLine(try configuration(data: good, extra: ["data.targets=class_names"]))
        XCTAssertEqual(strings, "\(good): dataset 'class_names': expected numbers, found string")
        for line in [missing, noDataset, nan, rows, column, rank, strings] { XCTAssertFalse(line.contains("\n")) }
    }
}
