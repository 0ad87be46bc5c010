import CHDF5
import Foundation

/// An open HDF5 file. The serial HDF5 library is not thread-safe: use one `HDF5File` from one
/// thread at a time, and no two files concurrently from different threads.
public final class HDF5File {
    public enum Mode: Sendable {
        case readOnly
        case readWrite
        /// A new file; fails when the path exists.
        case createNew
        /// A new file, replacing any that exists.
        case truncate
    }

    public let path: String
    let handle: hid_t
    private var isOpen = true

    /// Runs once, before the first HDF5 call of the process.
    private static let libraryPrepared: Void = xnn_h5_prepare_library()

    public init(path: String, mode: Mode = .readOnly) throws {
        self.path = path
        _ = Self.libraryPrepared
        switch mode {
        case .readOnly, .readWrite:
            guard FileManager.default.fileExists(atPath: path) else { throw HDF5Error.fileNotFound(path: path) }
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                throw HDF5Error.notHDF5(path: path, found: "a directory")
            }
            guard H5Fis_hdf5(path) > 0 else { throw HDF5Error.notHDF5(path: path, found: "something else") }
            handle = H5Fopen(path, mode == .readOnly ? xnn_h5f_acc_rdonly() : xnn_h5f_acc_rdwr(), xnn_h5p_default())
            // An HDF5 signature that fails to open: say why, in HDF5's words (truncated, corrupt).
            guard handle >= 0 else { throw HDF5Error.damaged(path: path, detail: Self.libraryMessage()) }
        case .createNew, .truncate:
            handle = H5Fcreate(path, mode == .createNew ? xnn_h5f_acc_excl() : xnn_h5f_acc_trunc(), xnn_h5p_default(), xnn_h5p_default())
            guard handle >= 0 else { throw HDF5Error.cannotCreate(path: path) }
        }
    }

    /// The most specific message on HDF5's error stack, for errors the library explains.
    static func libraryMessage() -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        let message = buffer.withUnsafeMutableBufferPointer { pointer in
            xnn_h5_innermost_error(pointer.baseAddress!)
            return String(cString: pointer.baseAddress!)
        }
        return message.isEmpty ? "the library gave no reason" : message
    }

    /// Flushes and closes; idempotent (also run on deinit). For a file being written, call
    /// `finishWriting` on success: a flush that fails here (disk full) goes unreported.
    public func close() {
        guard isOpen else { return }
        isOpen = false
        H5Fclose(handle)
    }

    /// Flushes and closes a file that was written, reporting a failed flush (disk full) that
    /// would otherwise leave a damaged file behind without a word.
    public func finishWriting() throws {
        guard isOpen else { return }
        isOpen = false
        guard H5Fclose(handle) >= 0 else {
            throw HDF5Error.libraryError(path: path, operation: "write the file to disk (\(Self.libraryMessage()))")
        }
    }

    deinit { close() }

    /// Every dataset in the file, full paths without the leading "/", sorted.
    public func datasetNames() -> [String] {
        final class Collector { var names: [String] = [] }
        let collector = Collector()
        let context = Unmanaged.passUnretained(collector).toOpaque()
        xnn_visit_datasets(handle, { name, context in
            guard let name, let context else { return }
            Unmanaged<Collector>.fromOpaque(context).takeUnretainedValue().names.append(String(cString: name))
        }, context)
        return collector.names.sorted()
    }

    /// Whether a dataset (or group) exists at `name`, checking each path component in turn.
    public func contains(_ name: String) -> Bool {
        var prefix = ""
        for component in name.split(separator: "/") {
            prefix += (prefix.isEmpty ? "" : "/") + component
            guard H5Lexists(handle, prefix, xnn_h5p_default()) > 0 else { return false }
        }
        return !prefix.isEmpty
    }

    /// Opens a dataset, with the "not found" error listing what the file has.
    func openDataset(_ name: String) throws -> hid_t {
        guard contains(name) else {
            throw HDF5Error.datasetNotFound(path: path, name: name, available: datasetNames())
        }
        let dataset = H5Dopen2(handle, name, xnn_h5p_default())
        guard dataset >= 0 else { throw HDF5Error.datasetNotFound(path: path, name: name, available: datasetNames()) }
        return dataset
    }

    /// Shape, element type and layout of a dataset.
    public func info(_ name: String) throws -> HDF5DatasetInfo {
        let dataset = try openDataset(name)
        defer { H5Dclose(dataset) }
        let shape = try Self.shape(of: dataset, path: path, name: name)
        let type = H5Dget_type(dataset)
        defer { H5Tclose(type) }
        let plist = H5Dget_create_plist(dataset)
        defer { H5Pclose(plist) }
        var chunkShape: [Int]? = nil
        if H5Pget_layout(plist) == H5D_CHUNKED {
            var dims = [hsize_t](repeating: 0, count: max(shape.count, 1))
            let rank = H5Pget_chunk(plist, Int32(dims.count), &dims)
            if rank > 0 { chunkShape = dims.prefix(Int(rank)).map { Int($0) } }
        }
        return HDF5DatasetInfo(name: name, shape: shape, elementType: Self.elementType(of: type),
                               chunkShape: chunkShape, compressed: H5Pget_nfilters(plist) > 0)
    }

    static func shape(of dataset: hid_t, path: String, name: String) throws -> [Int] {
        let space = H5Dget_space(dataset)
        defer { H5Sclose(space) }
        let rank = H5Sget_simple_extent_ndims(space)
        guard rank >= 0 else { throw HDF5Error.libraryError(path: path, operation: "read the shape of '\(name)'") }
        var dims = [hsize_t](repeating: 0, count: Int(rank))
        if rank > 0 { H5Sget_simple_extent_dims(space, &dims, nil) }
        return dims.map { Int($0) }
    }

    static func elementType(of type: hid_t) -> HDF5ElementType {
        let size = H5Tget_size(type)
        switch H5Tget_class(type) {
        case H5T_FLOAT: return .float(bytes: size)
        case H5T_INTEGER: return H5Tget_sign(type) == H5T_SGN_NONE ? .unsignedInteger(bytes: size) : .signedInteger(bytes: size)
        case H5T_ENUM: return .boolean
        case H5T_STRING: return .string
        case H5T_COMPOUND: return .other("compound")
        case H5T_ARRAY: return .other("array")
        case H5T_VLEN: return .other("variable-length sequence")
        case H5T_OPAQUE: return .other("opaque")
        default: return .other("unsupported type")
        }
    }
}
