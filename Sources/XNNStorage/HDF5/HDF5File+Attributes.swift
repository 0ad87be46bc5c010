import CHDF5
import Foundation

extension HDF5File {
    /// Sets a string attribute on the root ("/") or on a dataset or group, replacing any old one.
    public func setAttribute(_ key: String, _ value: String, on object: String = "/") throws {
        let type = Self.variableLengthStringType()
        defer { H5Tclose(type) }
        try writeAttribute(key, on: object, type: type) { attribute in
            try value.withCString { pointer in
                var pointer: UnsafePointer<CChar>? = pointer
                guard H5Awrite(attribute, type, &pointer) >= 0 else { throw HDF5Error.libraryError(path: path, operation: "write attribute '\(key)'") }
            }
        }
    }

    public func setAttribute(_ key: String, _ value: Double, on object: String = "/") throws {
        try writeAttribute(key, on: object, type: xnn_h5t_ieee_f64le()) { attribute in
            var value = value
            guard H5Awrite(attribute, xnn_h5t_native_double(), &value) >= 0 else { throw HDF5Error.libraryError(path: path, operation: "write attribute '\(key)'") }
        }
    }

    public func setAttribute(_ key: String, _ value: Int, on object: String = "/") throws {
        try writeAttribute(key, on: object, type: xnn_h5t_std_i64le()) { attribute in
            var value = Int64(value)
            guard H5Awrite(attribute, xnn_h5t_native_int64(), &value) >= 0 else { throw HDF5Error.libraryError(path: path, operation: "write attribute '\(key)'") }
        }
    }

    private func writeAttribute(_ key: String, on object: String, type: hid_t, write: (hid_t) throws -> Void) throws {
        let target = try openObject(object)
        defer { H5Oclose(target) }
        if H5Aexists(target, key) > 0 { H5Adelete(target, key) }
        let space = H5Screate(H5S_SCALAR)
        defer { H5Sclose(space) }
        let attribute = H5Acreate2(target, key, type, space, xnn_h5p_default(), xnn_h5p_default())
        guard attribute >= 0 else { throw HDF5Error.libraryError(path: path, operation: "create attribute '\(key)' on '\(object)'") }
        defer { H5Aclose(attribute) }
        try write(attribute)
    }

    private func openObject(_ object: String) throws -> hid_t {
        let name = object.isEmpty ? "/" : object
        guard name == "/" || contains(name) else {
            throw HDF5Error.datasetNotFound(path: path, name: name, available: datasetNames())
        }
        let target = H5Oopen(handle, name, xnn_h5p_default())
        guard target >= 0 else { throw HDF5Error.libraryError(path: path, operation: "open '\(name)'") }
        return target
    }

    /// Names of the attributes on an object, sorted.
    public func attributeNames(on object: String = "/") throws -> [String] {
        let target = try openObject(object)
        defer { H5Oclose(target) }
        var names: [String] = []
        var index = 0
        while true {
            let attribute = H5Aopen_by_idx(target, ".", H5_INDEX_NAME, H5_ITER_INC, hsize_t(index), xnn_h5p_default(), xnn_h5p_default())
            if attribute < 0 { break }
            let length = H5Aget_name(attribute, 0, nil)
            var buffer = [CChar](repeating: 0, count: Int(length) + 1)
            H5Aget_name(attribute, buffer.count, &buffer)
            names.append(String(nulTerminated: buffer))
            H5Aclose(attribute)
            index += 1
        }
        return names.sorted()
    }

    private func openAttribute(_ key: String, on object: String) throws -> (object: hid_t, attribute: hid_t) {
        let target = try openObject(object)
        guard H5Aexists(target, key) > 0 else {
            H5Oclose(target)
            throw HDF5Error.attributeNotFound(path: path, object: object, key: key)
        }
        return (target, H5Aopen(target, key, xnn_h5p_default()))
    }

    /// A string attribute (variable or fixed length); numbers are rendered as text, integers
    /// without a decimal point.
    public func stringAttribute(_ key: String, on object: String = "/") throws -> String {
        let (target, attribute) = try openAttribute(key, on: object)
        defer { H5Aclose(attribute); H5Oclose(target) }
        let type = H5Aget_type(attribute)
        defer { H5Tclose(type) }
        guard H5Tget_class(type) == H5T_STRING else {
            let number = try numberAttribute(key, on: object)
            return H5Tget_class(type) == H5T_INTEGER && abs(number) < 9e15 ? String(Int(number)) : String(number)
        }
        if H5Tis_variable_str(type) > 0 {
            let memoryType = Self.variableLengthStringType()
            defer { H5Tclose(memoryType) }
            var pointer: UnsafeMutablePointer<CChar>? = nil
            guard H5Aread(attribute, memoryType, &pointer) >= 0 else { throw HDF5Error.libraryError(path: path, operation: "read attribute '\(key)'") }
            defer { free(pointer) }
            return pointer.map { String(cString: $0) } ?? ""
        }
        var buffer = [CChar](repeating: 0, count: H5Tget_size(type) + 1)
        guard H5Aread(attribute, type, &buffer) >= 0 else { throw HDF5Error.libraryError(path: path, operation: "read attribute '\(key)'") }
        return String(nulTerminated: buffer)
    }

    public func numberAttribute(_ key: String, on object: String = "/") throws -> Double {
        let (target, attribute) = try openAttribute(key, on: object)
        defer { H5Aclose(attribute); H5Oclose(target) }
        var value = 0.0
        guard H5Aread(attribute, xnn_h5t_native_double(), &value) >= 0 else {
            throw HDF5Error.unsupportedType(path: path, name: "\(object)@\(key)", expected: "a number", found: "another type")
        }
        return value
    }
}

private extension String {
    /// The text of a C string buffer, up to its first NUL (HDF5 fills fixed-size buffers).
    init(nulTerminated buffer: [CChar]) {
        self = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
