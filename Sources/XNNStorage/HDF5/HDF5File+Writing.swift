import CHDF5
import Foundation

extension HDF5File {
    public func write(_ name: String, floats: [Float], shape: [Int], chunkRows: Int? = nil, compressionLevel: Int? = nil) throws {
        try floats.withUnsafeBytes {
            try writeRaw(name, bytes: $0.baseAddress, count: floats.count, shape: shape, memoryType: xnn_h5t_native_float(),
                         fileType: xnn_h5t_ieee_f32le(), chunkRows: chunkRows, compressionLevel: compressionLevel)
        }
    }

    public func write(_ name: String, doubles: [Double], shape: [Int]) throws {
        try doubles.withUnsafeBytes {
            try writeRaw(name, bytes: $0.baseAddress, count: doubles.count, shape: shape, memoryType: xnn_h5t_native_double(),
                         fileType: xnn_h5t_ieee_f64le(), chunkRows: nil, compressionLevel: nil)
        }
    }

    /// Integers, stored as int64.
    public func write(_ name: String, ints: [Int], shape: [Int]) throws {
        let values = ints.map { Int64($0) }
        try values.withUnsafeBytes {
            try writeRaw(name, bytes: $0.baseAddress, count: values.count, shape: shape, memoryType: xnn_h5t_native_int64(),
                         fileType: xnn_h5t_std_i64le(), chunkRows: nil, compressionLevel: nil)
        }
    }

    /// Bytes (masks, images), stored as uint8.
    public func write(_ name: String, bytes: [UInt8], shape: [Int], chunkRows: Int? = nil, compressionLevel: Int? = nil) throws {
        try bytes.withUnsafeBytes {
            try writeRaw(name, bytes: $0.baseAddress, count: bytes.count, shape: shape, memoryType: xnn_h5t_native_uint8(),
                         fileType: xnn_h5t_std_u8le(), chunkRows: chunkRows, compressionLevel: compressionLevel)
        }
    }

    /// A 1-D list of variable-length UTF-8 strings (what h5py writes for `str`).
    public func write(_ name: String, strings: [String]) throws {
        let type = Self.variableLengthStringType()
        defer { H5Tclose(type) }
        var dims = [hsize_t(strings.count)]
        let space = H5Screate_simple(1, &dims, nil)
        defer { H5Sclose(space) }
        let dataset = try createDataset(name, type: type, space: space, creation: xnn_h5p_default())
        defer { H5Dclose(dataset) }
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var pointers = copies.map { UnsafePointer<CChar>($0) }
        guard strings.isEmpty || H5Dwrite(dataset, type, xnn_h5s_all(), xnn_h5s_all(), xnn_h5p_default(), &pointers) >= 0 else {
            throw HDF5Error.libraryError(path: path, operation: "write strings '\(name)'")
        }
    }

    static func variableLengthStringType() -> hid_t {
        let type = H5Tcopy(xnn_h5t_c_s1())
        H5Tset_size(type, xnn_h5t_variable())
        H5Tset_cset(type, H5T_CSET_UTF8)
        return type
    }

    private func writeRaw(_ name: String, bytes: UnsafeRawPointer?, count: Int, shape: [Int], memoryType: hid_t, fileType: hid_t,
                          chunkRows: Int?, compressionLevel: Int?) throws {
        guard shape.reduce(1, *) == count, shape.allSatisfy({ $0 >= 0 }) else {
            throw HDF5Error.shapeMismatch(path: path, name: name, shape: shape, valueCount: count)
        }
        var dims = shape.map { hsize_t($0) }
        let space = H5Screate_simple(Int32(dims.count), &dims, nil)
        defer { H5Sclose(space) }
        let creation = H5Pcreate(xnn_h5p_dataset_create())
        defer { H5Pclose(creation) }
        if (chunkRows != nil || compressionLevel != nil), let first = shape.first, first > 0 {
            var chunk = dims
            chunk[0] = hsize_t(min(max(chunkRows ?? 64, 1), first))
            H5Pset_chunk(creation, Int32(chunk.count), &chunk)
            if let level = compressionLevel { H5Pset_deflate(creation, UInt32(max(0, min(9, level)))) }
        }
        let dataset = try createDataset(name, type: fileType, space: space, creation: creation)
        defer { H5Dclose(dataset) }
        guard count == 0 || H5Dwrite(dataset, memoryType, xnn_h5s_all(), xnn_h5s_all(), xnn_h5p_default(), bytes) >= 0 else {
            throw HDF5Error.libraryError(path: path, operation: "write dataset '\(name)'")
        }
    }

    /// Creates an empty float32 dataset chunked by `chunkRows` rows, to be filled with `writeFloatRows`:
    /// a file larger than memory is written a block at a time.
    public func createFloatDataset(_ name: String, shape: [Int], chunkRows: Int) throws {
        guard let first = shape.first, first > 0, shape.allSatisfy({ $0 > 0 }) else {
            throw HDF5Error.shapeMismatch(path: path, name: name, shape: shape, valueCount: 0)
        }
        var dims = shape.map { hsize_t($0) }
        let space = H5Screate_simple(Int32(dims.count), &dims, nil)
        defer { H5Sclose(space) }
        let creation = H5Pcreate(xnn_h5p_dataset_create())
        defer { H5Pclose(creation) }
        var chunk = dims
        chunk[0] = hsize_t(min(max(chunkRows, 1), first))
        H5Pset_chunk(creation, Int32(chunk.count), &chunk)
        let dataset = try createDataset(name, type: xnn_h5t_ieee_f32le(), space: space, creation: creation)
        H5Dclose(dataset)
    }

    /// Writes rows `rows` of a dataset from `buffer` (`rows.count ×` the other dimensions).
    public func writeFloatRows(_ name: String, rows: Range<Int>, from buffer: UnsafePointer<Float>) throws {
        try withRowSelection(name, rows: rows) { dataset, memorySpace, fileSpace in
            guard H5Dwrite(dataset, xnn_h5t_native_float(), memorySpace, fileSpace, xnn_h5p_default(), buffer) >= 0 else {
                throw HDF5Error.libraryError(path: path, operation: "write rows \(rows) of '\(name)'")
            }
        }
    }

    /// Creates a dataset, with any missing parent groups ("model/encoder/0/weight").
    private func createDataset(_ name: String, type: hid_t, space: hid_t, creation: hid_t) throws -> hid_t {
        let links = H5Pcreate(xnn_h5p_link_create())
        defer { H5Pclose(links) }
        H5Pset_create_intermediate_group(links, 1)
        let dataset = H5Dcreate2(handle, name, type, space, links, creation, xnn_h5p_default())
        guard dataset >= 0 else { throw HDF5Error.libraryError(path: path, operation: "create dataset '\(name)' (does it exist already?)") }
        return dataset
    }
}
