import Foundation
import XCTest
import XNNTestSupport
import XNNLinearAlgebra
import XNNStorage
@testable import XNNTraining

/// What the activation file and the settings must satisfy before and while training (docs/reliability.md).
final class DataChecksTests: FolderTestCase {
    func writeFile(rows: Int = 40, targets: (Int) -> Float = { Float($0 % 7) }, mask: [Float]? = nil, intMask: [Int]? = nil) throws -> String {
        let h5 = try HDF5File(path: path("d.h5"), mode: .truncate)
        try h5.write("activations", floats: (0..<(rows * 3)).map { Float(($0 * 31) % 11) / 5 }, shape: [rows, 3])
        try h5.write("logits", floats: (0..<rows).map(targets), shape: [rows, 1])
        if let mask { try h5.write("mask", floats: mask, shape: [rows]) }
        if let intMask { try h5.write("mask", ints: intMask, shape: [rows]) }
        try h5.finishWriting()
        return path("d.h5")
    }

    func loadError(_ file: String, mask: Bool = false) -> String? {
        var configuration = DataConfiguration(file: file)
        if mask { configuration.testMask = "mask" }
        do { _ = try ActivationData.load(configuration, seed: 1); return nil } catch { return "\(error)" }
    }

    func testMasksHoldZeroOrOneAndLeaveBothSplits() throws {
        XCTAssertEqual(loadError(try writeFile(mask: (0..<40).map { Float($0 % 10) / 10 }), mask: true),
                       "\(path("d.h5")): dataset 'mask': expected integers or booleans, one per row, found float32 values")
        XCTAssertEqual(loadError(try writeFile(intMask: (0..<40).map { $0 % 4 }), mask: true),
                       "\(path("d.h5")): dataset 'mask': expected 0 (train) or 1 (test) in each row, found 2 at row 2")
        XCTAssertTrue(loadError(try writeFile(intMask: [Int](repeating: 0, count: 40)), mask: true)?
            .contains("expected at least one test row (a 1), found 0 in all 40 rows") ?? false)
        XCTAssertNil(loadError(try writeFile(intMask: (0..<40).map { $0 % 4 == 0 ? 1 : 0 }), mask: true))
    }

    func testTooFewRowsAndConstantTargets() throws {
        XCTAssertTrue(loadError(try writeFile(rows: 2))?.hasSuffix("expected at least 10 training rows, found 2 (of 2 rows, 0 are test and 0 validation rows; give more rows or lower data.test_fraction and data.validation_fraction)") ?? false)
        XCTAssertTrue(loadError(try writeFile(targets: { _ in 2.5 }))?.contains("found column 0 equal to 2.5 in all 29 training rows") ?? false)
    }

    func testBatchLargerThanTheTrainingRowsAndDivergenceStopTraining() throws {
        let data = try ActivationData.load(DataConfiguration(file: try writeFile()), seed: 1)
        var configuration = RunConfiguration(data: DataConfiguration(file: "d.h5"))
        configuration.model.hiddenWidths = [4]
        configuration.model.concepts = 2
        configuration.training.epochs = 2
        configuration.training.batchSize = 1_000_000
        func train() throws {
            _ = try Trainer(architecture: configuration.model.architecture(inputDimension: 3, outputs: 1), lossWeights: configuration.loss,
                            settings: configuration.training, seed: 1).train(data)
        }
        XCTAssertThrowsError(try train()) {
            XCTAssertEqual($0 as? TrainingError, .batchLargerThanTrainingRows(file: self.path("d.h5"), batchSize: 1_000_000, trainingRows: 29))
        }
        configuration.training.batchSize = 8
        configuration.training.learningRate = 1e6
        XCTAssertThrowsError(try train()) {
            guard case .diverged(1, 1, let found, 1e6, false)? = $0 as? TrainingError else { return XCTFail("\($0)") }
            XCTAssertTrue(found.hasPrefix("the loss became") || found.hasPrefix("the faithfulness loss exploded"), found)
        }
    }
}
