/// The element type of a dataset, as far as this project cares.
public enum HDF5ElementType: Equatable, Sendable {
    case float(bytes: Int)
    case signedInteger(bytes: Int)
    case unsignedInteger(bytes: Int)
    /// h5py stores bool as an enum over int8.
    case boolean
    case string
    case other(String)

    public var isNumeric: Bool {
        switch self {
        case .float, .signedInteger, .unsignedInteger, .boolean: return true
        case .string, .other: return false
        }
    }

    public var description: String {
        switch self {
        case .float(let b): return "float\(b * 8)"
        case .signedInteger(let b): return "int\(b * 8)"
        case .unsignedInteger(let b): return "uint\(b * 8)"
        case .boolean: return "bool"
        case .string: return "string"
        case .other(let name): return name
        }
    }
}

/// Shape, type and storage layout of one dataset.
public struct HDF5DatasetInfo: Equatable, Sendable {
    public var name: String
    public var shape: [Int]
    public var elementType: HDF5ElementType
    public var chunkShape: [Int]?
    public var compressed: Bool
}
