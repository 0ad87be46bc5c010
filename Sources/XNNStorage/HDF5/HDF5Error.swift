/// A problem with an HDF5 file or one of its datasets. Each description is one line naming the
/// file, the dataset, what was expected and what was found.
public enum HDF5Error: Error, CustomStringConvertible, Equatable {
    case fileNotFound(path: String)
    case notHDF5(path: String, found: String)
    case damaged(path: String, detail: String)
    case cannotCreate(path: String)
    case datasetNotFound(path: String, name: String, available: [String])
    case unsupportedType(path: String, name: String, expected: String, found: String)
    case unsupportedRank(path: String, name: String, expected: String, found: [Int])
    case rowRangeOutOfBounds(path: String, name: String, rows: Range<Int>, available: Int)
    case shapeMismatch(path: String, name: String, shape: [Int], valueCount: Int)
    case attributeNotFound(path: String, object: String, key: String)
    case libraryError(path: String, operation: String)

    public var description: String {
        switch self {
        case .fileNotFound(let path):
            return "\(path): file not found"
        case .notHDF5(let path, let found):
            return "\(path): expected an HDF5 file, found \(found)"
        case .damaged(let path, let detail):
            return "\(path): an HDF5 file that cannot be opened, truncated or corrupt (HDF5: \(detail))"
        case .cannotCreate(let path):
            return "\(path): cannot create the HDF5 file (does its folder exist and is it writable?)"
        case .datasetNotFound(let path, let name, let available):
            let list = available.isEmpty ? "the file has no datasets" : "available: " + available.prefix(20).joined(separator: ", ")
            return "\(path): dataset '\(name)' not found (\(list))"
        case .unsupportedType(let path, let name, let expected, let found):
            return "\(path): dataset '\(name)': expected \(expected), found \(found)"
        case .unsupportedRank(let path, let name, let expected, let found):
            return "\(path): dataset '\(name)': expected \(expected), found shape [\(found.map(String.init).joined(separator: ", "))]"
        case .rowRangeOutOfBounds(let path, let name, let rows, let available):
            return "\(path): dataset '\(name)': rows \(rows.lowerBound)..<\(rows.upperBound) requested, it has \(available)"
        case .shapeMismatch(let path, let name, let shape, let valueCount):
            return "\(path): dataset '\(name)': shape \(shape) needs \(shape.reduce(1, *)) values, got \(valueCount)"
        case .attributeNotFound(let path, let object, let key):
            return "\(path): attribute '\(key)' not found on '\(object)'"
        case .libraryError(let path, let operation):
            return "\(path): HDF5 failed to \(operation)"
        }
    }
}
