import XNNLinearAlgebra
import XNNStorage

/// Checks of an activation file's contents that the shapes alone do not catch, each failing with
/// one line (docs/reliability.md): a per-row mask of 0/1, enough training rows, targets that vary.
public enum DataChecks {
    /// Fewest training rows a run accepts: fewer give an R² (and a least-squares predictor of up
    /// to k + 1 weights per output) that says nothing.
    public static let minimumTrainingRows = 10

    /// A per-row dataset read as integers must hold integers (or booleans): HDF5 would truncate
    /// floats silently, turning a mask of 0.3s into all zeros.
    static func requireIntegerType(_ h5: HDF5File, name: String, file: String) throws {
        let type = try h5.info(name).elementType
        switch type {
        case .signedInteger, .unsignedInteger, .boolean: return
        default:
            throw DataError.invalidValues(file: file, dataset: name, expected: "integers or booleans, one per row",
                                          found: "\(type.description) values")
        }
    }

    /// The test mask: 0 (train) or 1 (test) in each row, with at least one row of each.
    static func checkTestMask(_ mask: [Int], name: String, file: String) throws {
        if let row = mask.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            throw DataError.invalidValues(file: file, dataset: name, expected: "0 (train) or 1 (test) in each row",
                                          found: "\(mask[row]) at row \(row)")
        }
        if !mask.contains(1) {
            throw DataError.invalidValues(file: file, dataset: name, expected: "at least one test row (a 1)",
                                          found: "0 in all \(mask.count) rows; leave data.test_mask unset for a random split")
        }
        if !mask.contains(0) {
            throw DataError.emptyTrainingSplit(file: file, detail: "every row of '\(name)' is 1")
        }
    }

    /// Some training rows; and when `fitting` (not applying a saved model), enough of them, with
    /// every explained output varying over them (a constant target has no variance to explain).
    static func checkSplit(_ targets: Matrix, rows: (train: [Int], validation: Int, test: Int), configuration: DataConfiguration,
                           targetColumns: [Int], fitting: Bool) throws {
        let (trainRows, validationRows, testRows) = rows
        guard !trainRows.isEmpty else {
            throw DataError.emptyTrainingSplit(file: configuration.file,
                                               detail: configuration.testMask.map { "every row of '\($0)' is 1" } ?? "test_fraction leaves none")
        }
        guard fitting else { return }
        guard trainRows.count >= minimumTrainingRows else {
            let total = trainRows.count + validationRows + testRows
            throw DataError.tooFewTrainingRows(
                file: configuration.file, found: trainRows.count,
                detail: "of \(total) rows, \(testRows) are test and \(validationRows) validation rows; give more rows or lower data.test_fraction and data.validation_fraction")
        }
        for column in 0..<targets.columns {
            let first = targets[trainRows[0], column]
            if trainRows.allSatisfy({ targets[$0, column] == first }) {
                throw DataError.invalidValues(
                    file: configuration.file, dataset: configuration.targets, expected: "targets that vary over the training rows",
                    found: "column \(targetColumns[column]) equal to \(first) in all \(trainRows.count) training rows (nothing to explain; pick other data.target_columns)")
            }
        }
    }
}
