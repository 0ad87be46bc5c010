import Foundation
import XCTest
import XNNTestSupport
import XNNLinearAlgebra
import XNNModel
import XNNStorage
import XNNTraining
@testable import XNNRuns

/// Training from a file larger than `data.memory_budget_mb`: the same batches, metrics and
/// weights as in memory with the same seed and shuffle settings; clear errors where it cannot.
final class StreamingTests: FolderTestCase {
    /// 600 × 40 activations (94 KB), column 0 holding the row index so orders can be read back.
    func writeData() throws -> String {
        var generator = SeededGenerator(seed: 21)
        var activations = [Float](), targets = [Float](), mask = [UInt8]()
        for i in 0..<600 {
            var row = (0..<40).map { _ in max(0, generator.nextFloat(in: -0.5, 1.5)) }
            row[0] = Float(i)
            activations += row
            targets += [row[1] * 2 - row[2] + max(0, row[3] - 0.5), row[4] + 0.5 * row[5] * row[6]]
            mask.append(i % 7 == 3 ? 1 : 0)
        }
        let file = try HDF5File(path: path("data.h5"), mode: .truncate)
        try file.write("activations", floats: activations, shape: [600, 40], chunkRows: 64)
        try file.write("logits", floats: targets, shape: [600, 2])
        try file.write("test_mask", bytes: mask, shape: [600])
        file.close()
        return path("data.h5")
    }

    func configuration(_ data: String, budget: Double, extra: [String] = []) throws -> RunConfiguration {
        var c = RunConfiguration(data: DataConfiguration(file: data))
        c.seed = 5
        c.data.testMask = "test_mask"
        c.data.standardizeActivations = true
        c.data.memoryBudgetMB = budget
        c.model.hiddenWidths = [16, 8]
        c.model.concepts = 3
        c.model.dropout = 0.1
        c.model.outputActivation = .linear
        c.training.epochs = 5
        c.training.batchSize = 20
        c.training.threads = 1
        c.training.shuffle = .chunks
        c.training.shuffleChunkRows = 32
        c.training.shuffleBufferRows = 128
        c.training.reviveBelow = 0.2
        return try c.overridden(extra, source: "stream.yaml")
    }

    func testStreamedRunEqualsInMemoryRun() throws {
        let data = try writeData()
        let streamedConfig = try configuration(data, budget: 0.05), memoryConfig = try configuration(data, budget: 0)
        let loaded = try ActivationData.load(streamedConfig.data, seed: 5, allowStreaming: true)
        XCTAssertTrue(loaded.isStreamed, "94 KB of activations exceed a 0.05 MB budget")
        let inMemory = try ActivationData.load(memoryConfig.data, seed: 5, allowStreaming: true)
        XCTAssertFalse(inMemory.isStreamed)
        XCTAssertEqual(loaded.activationNormalization, inMemory.activationNormalization, "block-wise fit = whole fit")

        _ = try TrainingRun(configuration: streamedConfig, outputDirectory: path("streamed"), force: false).execute()
        _ = try TrainingRun(configuration: memoryConfig, outputDirectory: path("memory"), force: false).execute()
        let a = try XCTUnwrap(ModelFile.read(from: path("streamed/model.h5")).model as? SRAE)
        let b = try XCTUnwrap(ModelFile.read(from: path("memory/model.h5")).model as? SRAE)
        for (p, q) in zip(a.parameters, b.parameters) {
            for (x, y) in zip(p.value.toArray(), q.value.toArray()) { XCTAssertEqual(x, y, accuracy: 1e-5, p.name) }
        }
        func report(_ run: String) throws -> MetricsReport {
            try JSONDecoder().decode(MetricsReport.self, from: Data(contentsOf: URL(fileURLWithPath: path("\(run)/metrics.json"))))
        }
        let streamed = try report("streamed"), memory = try report("memory")
        for split in ["train", "test"] {
            let s = try XCTUnwrap(streamed.splits[split]), m = try XCTUnwrap(memory.splits[split])
            XCTAssertEqual(s.faithfulness.r2, m.faithfulness.r2, accuracy: 1e-5, split)
            XCTAssertEqual(s.faithfulness.mse, m.faithfulness.mse, accuracy: 1e-5, split)
            XCTAssertEqual(s.conceptOrthogonality.meanAbsoluteCosine, m.conceptOrthogonality.meanAbsoluteCosine, accuracy: 1e-5, split)
            XCTAssertEqual(s.concepts.aliveConcepts, m.concepts.aliveConcepts, split)
            XCTAssertNil(s.reconstruction, "streamed rows keep no ẑ beside z")
        }
    }

    /// Each epoch visits every training row exactly once and no test row, from memory and from disk alike.
    func testChunkShufflerVisitsEveryTrainingRowOnce() throws {
        let data = try writeData()
        for budget in [0, 0.05] {
            var config = try configuration(data, budget: budget)
            config.data.standardizeActivations = false  // column 0 keeps the row index
            let loaded = try ActivationData.load(config.data, seed: 5, allowStreaming: true)
            let shuffler = ChunkShuffler(data: loaded, chunkRows: 32, bufferRows: 96)
            var generator = SeededGenerator(seed: 1)
            let inputs = Matrix(rows: 20, columns: 40), targets = Matrix(rows: 20, columns: 2)
            var orders: [[Int]] = []
            for _ in 0..<2 {
                shuffler.startEpoch(generator: &generator)
                var seen: [Int] = []
                while try shuffler.nextBatch(size: 20, inputs: inputs, targets: targets, generator: &generator) > 0 {
                    for r in 0..<inputs.rows {
                        let row = Int(inputs[r, 0])
                        seen.append(row)
                        XCTAssertEqual(targets[r, 0], loaded.targets[row, 0])
                    }
                }
                XCTAssertEqual(seen.sorted(), loaded.trainRows, "budget \(budget)")
                orders.append(seen)
            }
            XCTAssertNotEqual(orders[0], orders[1], "a new order each epoch")
            XCTAssertNotEqual(orders[0], loaded.trainRows, "shuffled")
        }
    }

    func errorLine(_ config: RunConfiguration) -> String {
        do { _ = try TrainingRun(configuration: config, outputDirectory: path("bad"), force: false).execute() } catch { return "\(error)" }
        XCTFail("expected an error")
        return ""
    }

    func testStreamingRefusesWhatNeedsAllRowsInMemory() throws {
        let data = try writeData()
        let full = errorLine(try configuration(data, budget: 0.05, extra: ["training.shuffle=full"]))
        XCTAssertTrue(full.hasPrefix("training.shuffle: expected chunks because \(data) takes 0 MB, more than data.memory_budget_mb"), full)
        XCTAssertTrue(full.hasSuffix("found full"), full)
        let pretrain = errorLine(try configuration(data, budget: 0.05, extra: ["training.pretrain_epochs=2"]))
        XCTAssertTrue(pretrain.hasPrefix("training.pretrain_epochs: expected 0"), pretrain)
        let pca = errorLine(try configuration(data, budget: 0.05, extra: ["model.kind=pca"]))
        XCTAssertTrue(pca.hasPrefix("model.kind: expected srae"), pca)
        let buffer = errorLine(try configuration(data, budget: 0.05, extra: ["training.shuffle_buffer_rows=4000"]))
        XCTAssertTrue(buffer.hasPrefix("training.shuffle_buffer_rows: expected a buffer that fits the budget"), buffer)
        XCTAssertThrowsError(try configuration(data, budget: 0.05, extra: ["training.shuffle_buffer_rows=8"])) { error in
            XCTAssertTrue("\(error)".contains("training.shuffle_buffer_rows"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("bad")))
    }
}
