import Foundation
import XCTest
import XNNTestSupport
@testable import XNNStorage

final class HDF5Tests: FolderTestCase {
    func testRoundTripOfEveryTypeWithGroupsAndAttributes() throws {
        let file = try HDF5File(path: path("a.h5"), mode: .createNew)
        try file.write("model/encoder/0/weight", floats: [1, 2, 3, 4, 5, 6], shape: [2, 3])
        try file.write("doubles", doubles: [0.5, -1.5], shape: [2])
        try file.write("ints", ints: [3, -4, 5], shape: [3])
        try file.write("mask", bytes: [0, 1, 1, 0], shape: [4])
        try file.write("names", strings: ["zero", "één", ""])
        try file.setAttribute("format", "xnn-model")
        try file.setAttribute("concepts", 5)
        try file.setAttribute("scale", 0.25, on: "doubles")
        file.close()

        let read = try HDF5File(path: path("a.h5"))
        XCTAssertEqual(read.datasetNames(), ["doubles", "ints", "mask", "model/encoder/0/weight", "names"])
        let (weights, shape) = try read.readFloats("model/encoder/0/weight")
        XCTAssertEqual(weights, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(shape, [2, 3])
        XCTAssertEqual(try read.readFloats("doubles").values, [0.5, -1.5])
        XCTAssertEqual(try read.readFloats("ints").values, [3, -4, 5])
        XCTAssertEqual(try read.readInts("mask").values, [0, 1, 1, 0])
        XCTAssertEqual(try read.readDoubles("ints").values, [3, -4, 5])
        XCTAssertEqual(try read.readStrings("names"), ["zero", "één", ""])
        XCTAssertEqual(try read.stringAttribute("format"), "xnn-model")
        XCTAssertEqual(try read.numberAttribute("concepts"), 5)
        XCTAssertEqual(try read.numberAttribute("scale", on: "doubles"), 0.25)
        XCTAssertEqual(try read.attributeNames(), ["concepts", "format"])
        XCTAssertEqual(try read.info("mask").elementType, .unsignedInteger(bytes: 1))
        XCTAssertTrue(read.contains("model/encoder"))
        XCTAssertFalse(read.contains("model/decoder"))
    }

    func testRowHyperslabsAndChunkedCompressedStorage() throws {
        let file = try HDF5File(path: path("rows.h5"), mode: .truncate)
        let values = (0..<40).map(Float.init)
        try file.write("m", floats: values, shape: [10, 4], chunkRows: 3, compressionLevel: 4)
        let info = try file.info("m")
        XCTAssertEqual(info.chunkShape, [3, 4])
        XCTAssertTrue(info.compressed)
        XCTAssertEqual(try file.readFloatRows("m", rows: 2..<5).values, Array(values[8..<20]))
        XCTAssertEqual(try file.readFloatRows("m", rows: 0..<1).values, Array(values[0..<4]))
        XCTAssertEqual(try file.readFloatRows("m", rows: 9..<10).values, Array(values[36..<40]))
        XCTAssertEqual(try file.readFloatRows("m", rows: 4..<4).values, [])
        XCTAssertThrowsError(try file.readFloatRows("m", rows: 8..<11)) { error in
            XCTAssertEqual(error as? HDF5Error, .rowRangeOutOfBounds(path: self.path("rows.h5"), name: "m", rows: 8..<11, available: 10))
        }
    }

    func testErrorsNameFileAndDatasetOnOneLine() throws {
        XCTAssertThrowsError(try HDF5File(path: path("missing.h5"))) { error in
            XCTAssertEqual(error as? HDF5Error, .fileNotFound(path: self.path("missing.h5")))
        }
        try "not hdf5".write(toFile: path("text.h5"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try HDF5File(path: path("text.h5"))) { error in
            XCTAssertEqual(error as? HDF5Error, .notHDF5(path: self.path("text.h5"), found: "something else"))
        }
        let file = try HDF5File(path: path("e.h5"), mode: .createNew)
        try file.write("activations", floats: [1, 2], shape: [2])
        try file.write("labels", strings: ["a", "b"])
        XCTAssertThrowsError(try file.readFloats("activation")) { error in
            let message = "\(error)"
            XCTAssertTrue(message.contains(self.path("e.h5")) && message.contains("'activation' not found") && message.contains("activations"), message)
            XCTAssertFalse(message.contains("\n"))
        }
        XCTAssertThrowsError(try file.readFloats("labels")) { error in
            XCTAssertEqual(error as? HDF5Error, .unsupportedType(path: self.path("e.h5"), name: "labels", expected: "numbers", found: "string"))
        }
        XCTAssertThrowsError(try file.write("bad", floats: [1, 2, 3], shape: [2, 2])) { error in
            XCTAssertEqual(error as? HDF5Error, .shapeMismatch(path: self.path("e.h5"), name: "bad", shape: [2, 2], valueCount: 3))
        }
        XCTAssertThrowsError(try HDF5File(path: path("e.h5"), mode: .createNew))
    }
}
