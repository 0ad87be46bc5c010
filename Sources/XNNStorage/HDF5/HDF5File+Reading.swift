import CHDF5

extension HDF5File {
    /// A numeric dataset of any rank as Float, converted by HDF5 from its stored type.
    public func readFloats(_ name: String) throws -> (values: [Float], shape: [Int]) {
        try readNumeric(name, memoryType: xnn_h5t_native_float(), zero: Float(0), fromBoolean: { Float($0) })
    }

    public func readDoubles(_ name: String) throws -> (values: [Double], shape: [Int]) {
        try readNumeric(name, memoryType: xnn_h5t_native_double(), zero: Double(0), fromBoolean: { Double($0) })
    }

    public func readInts(_ name: String) throws -> (values: [Int], shape: [Int]) {
        let (values, shape) = try readNumeric(name, memoryType: xnn_h5t_native_int64(), zero: Int64(0), fromBoolean: { Int64($0) })
        return (values.map { Int($0) }, shape)
    }

    private func readNumeric<T>(_ name: String, memoryType: hid_t, zero: T,
                                fromBoolean: (Int8) -> T) throws -> (values: [T], shape: [Int]) {
        let dataset = try openDataset(name)
        defer { H5Dclose(dataset) }
        let shape = try Self.shape(of: dataset, path: path, name: name)
        let count = shape.reduce(1, *)
        let fileType = H5Dget_type(dataset)
        defer { H5Tclose(fileType) }
        let kind = Self.elementType(of: fileType)
        guard kind.isNumeric else {
            throw HDF5Error.unsupportedType(path: path, name: name, expected: "numbers", found: kind.description)
        }
        if kind == .boolean {  // HDF5 converts no enum to integers: read the 1-byte base values.
            var raw = [Int8](repeating: 0, count: count)
            let nativeType = H5Tget_native_type(fileType, H5T_DIR_ASCEND)
            defer { H5Tclose(nativeType) }
            guard H5Tget_size(nativeType) == 1, count == 0 || H5Dread(dataset, nativeType, xnn_h5s_all(), xnn_h5s_all(), xnn_h5p_default(), &raw) >= 0 else {
                throw HDF5Error.unsupportedType(path: path, name: name, expected: "numbers", found: "an enumeration wider than one byte")
            }
            return (raw.map(fromBoolean), shape)
        }
        var values = [T](repeating: zero, count: count)
        if count > 0 {
            let status = values.withUnsafeMutableBytes {
                H5Dread(dataset, memoryType, xnn_h5s_all(), xnn_h5s_all(), xnn_h5p_default(), $0.baseAddress)
            }
            guard status >= 0 else { throw HDF5Error.libraryError(path: path, operation: "read dataset '\(name)'") }
        }
        return (values, shape)
    }

    /// Rows `rows` of a numeric dataset (a hyperslab on the first dimension) as Float, written into
    /// `buffer`, which holds `rows.count × (product of the other dimensions)` values. Reads only those rows.
    public func readFloatRows(_ name: String, rows: Range<Int>, into buffer: UnsafeMutablePointer<Float>) throws {
        try withRowSelection(name, rows: rows) { dataset, memorySpace, fileSpace in
            guard H5Dread(dataset, xnn_h5t_native_float(), memorySpace, fileSpace, xnn_h5p_default(), buffer) >= 0 else {
                throw HDF5Error.unsupportedType(path: path, name: name, expected: "numbers", found: try info(name).elementType.description)
            }
        }
    }

    /// Opens `name`, checks `rows` against its first dimension, and hands `body` the dataset with
    /// matching memory and file dataspaces for those rows (all other dimensions whole). Nothing for empty `rows`.
    func withRowSelection(_ name: String, rows: Range<Int>, _ body: (hid_t, hid_t, hid_t) throws -> Void) throws {
        let dataset = try openDataset(name)
        defer { H5Dclose(dataset) }
        let shape = try Self.shape(of: dataset, path: path, name: name)
        guard !shape.isEmpty else {
            throw HDF5Error.unsupportedRank(path: path, name: name, expected: "at least one dimension", found: shape)
        }
        guard rows.lowerBound >= 0, rows.upperBound <= shape[0] else {
            throw HDF5Error.rowRangeOutOfBounds(path: path, name: name, rows: rows, available: shape[0])
        }
        if rows.isEmpty { return }
        let fileSpace = H5Dget_space(dataset)
        defer { H5Sclose(fileSpace) }
        var start = [hsize_t](repeating: 0, count: shape.count)
        var count = shape.map { hsize_t($0) }
        start[0] = hsize_t(rows.lowerBound)
        count[0] = hsize_t(rows.count)
        H5Sselect_hyperslab(fileSpace, H5S_SELECT_SET, start, nil, count, nil)
        let memorySpace = H5Screate_simple(Int32(count.count), count, nil)
        defer { H5Sclose(memorySpace) }
        try body(dataset, memorySpace, fileSpace)
    }

    public func readFloatRows(_ name: String, rows: Range<Int>) throws -> (values: [Float], shape: [Int]) {
        var shape = try info(name).shape
        guard !shape.isEmpty else {
            throw HDF5Error.unsupportedRank(path: path, name: name, expected: "at least one dimension", found: shape)
        }
        guard rows.lowerBound >= 0, rows.upperBound <= shape[0] else {
            throw HDF5Error.rowRangeOutOfBounds(path: path, name: name, rows: rows, available: shape[0])
        }
        shape[0] = rows.count
        var values = [Float](repeating: 0, count: shape.reduce(1, *))
        try values.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { try readFloatRows(name, rows: rows, into: base) }
        }
        return (values, shape)
    }

    /// A 1-D dataset of strings, variable or fixed length.
    public func readStrings(_ name: String) throws -> [String] {
        let dataset = try openDataset(name)
        defer { H5Dclose(dataset) }
        let shape = try Self.shape(of: dataset, path: path, name: name)
        guard shape.count == 1 else {
            throw HDF5Error.unsupportedRank(path: path, name: name, expected: "a 1-D list of strings", found: shape)
        }
        let fileType = H5Dget_type(dataset)
        defer { H5Tclose(fileType) }
        guard H5Tget_class(fileType) == H5T_STRING else {
            throw HDF5Error.unsupportedType(path: path, name: name, expected: "strings", found: Self.elementType(of: fileType).description)
        }
        let count = shape[0]
        if count == 0 { return [] }
        if H5Tis_variable_str(fileType) > 0 {
            let memoryType = H5Tcopy(xnn_h5t_c_s1())
            defer { H5Tclose(memoryType) }
            H5Tset_size(memoryType, xnn_h5t_variable())
            H5Tset_cset(memoryType, H5Tget_cset(fileType))
            var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
            guard H5Dread(dataset, memoryType, xnn_h5s_all(), xnn_h5s_all(), xnn_h5p_default(), &pointers) >= 0 else {
                throw HDF5Error.libraryError(path: path, operation: "read strings '\(name)'")
            }
            let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
            let space = H5Dget_space(dataset)
            defer { H5Sclose(space) }
            H5Dvlen_reclaim(memoryType, space, xnn_h5p_default(), &pointers)
            return strings
        }
        let width = H5Tget_size(fileType)
        var bytes = [CChar](repeating: 0, count: width * count)
        guard H5Dread(dataset, fileType, xnn_h5s_all(), xnn_h5s_all(), xnn_h5p_default(), &bytes) >= 0 else {
            throw HDF5Error.libraryError(path: path, operation: "read strings '\(name)'")
        }
        return (0..<count).map { i in
            let slice = bytes[(i * width)..<((i + 1) * width)].prefix { $0 != 0 }
            return String(decoding: slice.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }
}
