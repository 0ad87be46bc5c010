import Foundation
import XCTest

/// scripts/extract_activations.py through its Python tests (a tiny random CNN; the shipped sample
/// reproduced from its sources). Skipped, saying why, where python3, torch or h5py is missing.
final class ExtractionScriptTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = Self.repository
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func testExtractionScriptPassesItsTests() throws {
        let probe = try python(["-c", "import torch, h5py"])
        if probe.status != 0 {
            throw XCTSkip("scripts/tests/test_extract_activations.py needs python3 with torch and h5py: \(probe.output.split(separator: "\n").last ?? "")")
        }
        let result = try python(["-m", "unittest", "discover", "-s", "scripts/tests"])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertFalse(result.output.contains("skipped"), result.output)
    }
}
