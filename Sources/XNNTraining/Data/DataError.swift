/// Problems with the contents of an activation file. One line each, naming file and dataset.
public enum DataError: Error, CustomStringConvertible, Equatable {
    case nonFinite(file: String, dataset: String, row: Int, column: Int, value: String)
    case rankMismatch(file: String, dataset: String, expected: String, found: [Int])
    case rowCountMismatch(file: String, dataset: String, expected: Int, found: Int, reference: String)
    case targetColumnOutOfRange(file: String, dataset: String, column: Int, columns: Int)
    case emptyTrainingSplit(file: String, detail: String)
    case notEnoughSamples(file: String, dataset: String, found: Int)
    case negativeForNMF(row: Int, column: Int, value: String)
    case streamingUnsupported(key: String, expected: String, found: String, reason: String)
    case invalidValues(file: String, dataset: String, expected: String, found: String)
    case tooFewTrainingRows(file: String, found: Int, detail: String)

    public var description: String {
        switch self {
        case .nonFinite(let file, let dataset, let row, let column, let value):
            return "\(file): dataset '\(dataset)': expected finite numbers, found \(value) at row \(row), column \(column)"
        case .rankMismatch(let file, let dataset, let expected, let found):
            return "\(file): dataset '\(dataset)': expected \(expected), found shape [\(found.map(String.init).joined(separator: ", "))]"
        case .rowCountMismatch(let file, let dataset, let expected, let found, let reference):
            return "\(file): dataset '\(dataset)': expected \(expected) rows (one per row of '\(reference)'), found \(found)"
        case .targetColumnOutOfRange(let file, let dataset, let column, let columns):
            return "\(file): dataset '\(dataset)': data.target_columns names column \(column), but it has \(columns) columns (0…\(columns - 1))"
        case .emptyTrainingSplit(let file, let detail):
            return "\(file): expected training samples, found none (\(detail))"
        case .negativeForNMF(let row, let column, let value):
            return "model.kind nmf: expected non-negative activations, found \(value) at row \(row), column \(column) (switch off data.standardize_activations)"
        case .streamingUnsupported(let key, let expected, let found, let reason):
            return "\(key): expected \(expected) because \(reason), found \(found)"
        case .invalidValues(let file, let dataset, let expected, let found):
            return "\(file): dataset '\(dataset)': expected \(expected), found \(found)"
        case .tooFewTrainingRows(let file, let found, let detail):
            return "\(file): expected at least \(DataChecks.minimumTrainingRows) training rows, found \(found) (\(detail))"
        case .notEnoughSamples(let file, let dataset, let found):
            return "\(file): dataset '\(dataset)': expected at least 2 samples, found \(found)"
        }
    }
}
