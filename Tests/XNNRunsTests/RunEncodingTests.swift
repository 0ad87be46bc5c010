import Foundation
import XCTest
import XNNStorage
@testable import XNNRuns

/// `xnn encode`: the run's own data gives its concepts.h5 exactly; files are kept unless xnn made them.
extension TrainingRunTests {
    func testEncodingTheRunsOwnDataReproducesItsConceptsFile() throws {
        let data = try writeData()
        _ = try TrainingRun(configuration: try configuration(data: data), outputDirectory: path("run"), force: false).execute()
        let saved = try SavedRun(directory: path("run"))
        XCTAssertEqual(try RunEncoding.encode(saved, dataFile: data, output: path("encoded.h5"), force: false), 160)
        let original = try HDF5File(path: path("run/concepts.h5")), encoded = try HDF5File(path: path("encoded.h5"))
        XCTAssertEqual(original.datasetNames(), encoded.datasetNames())
        for name in ["concepts", "predictions", "targets", "contributions"] {
            XCTAssertEqual(try original.readFloats(name).values, try encoded.readFloats(name).values, name)
        }
        XCTAssertEqual(try original.readInts("split").values, try encoded.readInts("split").values)
        XCTAssertEqual(try encoded.readStrings("class_names"), ["first", "second"], "copied from the source")
        XCTAssertEqual(try encoded.stringAttribute("meaning", on: "contributions"), "x_j·V_cj: what concept j adds to output c")

        XCTAssertThrowsError(try RunEncoding.encode(saved, dataFile: data, output: path("encoded.h5"), force: false)) {
            XCTAssertTrue("\($0)".contains("pass --force"), "\($0)")
        }
        XCTAssertThrowsError(try RunEncoding.encode(saved, dataFile: data, output: data, force: true)) {
            XCTAssertTrue("\($0)".contains("only files xnn wrote"), "\($0)")
        }
        let narrow = try writeData("narrow.h5", columns: 7)
        XCTAssertThrowsError(try RunEncoding.encode(saved, dataFile: narrow, output: path("narrow-concepts.h5"), force: false)) {
            XCTAssertTrue("\($0)".contains("expected 12 columns, as the model was trained on"), "\($0)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("narrow-concepts.h5")))
    }

    /// Each float dataset says its units; the contributions are in standardised target units when
    /// the targets were standardised, and the file says so rather than claim the targets' units.
    func testConceptsFileStatesUnits() throws {
        let data = try writeData()
        for (name, standardized) in [("plain", false), ("standardized", true)] {
            _ = try TrainingRun(configuration: try configuration(data: data, extra: ["data.standardize_targets=\(standardized)"]),
                                outputDirectory: path(name), force: false).execute()
            let file = try HDF5File(path: path("\(name)/concepts.h5"))
            defer { file.close() }
            XCTAssertEqual(try file.stringAttribute("units", on: "predictions"), "the targets' units (the data file's logits)")
            XCTAssertTrue(try file.stringAttribute("units", on: "concepts").hasPrefix("concept activation units"))
            XCTAssertEqual(try file.stringAttribute("units", on: "contributions").hasPrefix("standardised target units"), standardized, name)
        }
    }
}
