import Foundation
import XCTest
import XNNTestSupport
@testable import XNNStorage

/// Configuration text that must fail in one line before or while it is parsed (docs/reliability.md).
final class ConfigStrictnessTests: FolderTestCase {
    func error(_ yaml: String, overrides: [String] = []) -> ConfigError? {
        do {
            var document = try ConfigDocument(yaml: yaml, file: "c.yaml")
            for override in overrides { try document.applyOverride(override) }
            let data = try document.rootSection().section("data")
            let _: String = try data.required("file")
            return nil
        } catch { return error as? ConfigError }
    }

    func testNestingIsMeasuredOnTheTextBeforeParsing() {
        XCTAssertEqual(YAMLNesting.deepest(in: "data:\n  file: d.h5\nmodel:\n  hidden_widths: [8, 4]\n").depth, 3)
        XCTAssertEqual(YAMLNesting.deepest(in: "a:\n- b:\n  - c\n").depth, 4)
        XCTAssertEqual(YAMLNesting.deepest(in: "- - - x\n").depth, 3)
        XCTAssertEqual(YAMLNesting.deepest(in: "a: \"[[[[\"\nb: '{{' # [[[\nc: |\n  [[[[[[\n  {{{{\nd: [1, {e: 2}]\n").depth, 3)
        XCTAssertEqual(YAMLNesting.deepest(in: "a: x[y]\r\nb:\r\n  c: 1\r\n").depth, 2)
        for (yaml, line) in [("data:\n  file: d.h5\nm: " + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000), 3),
                             ("data:\n  file: d.h5\nx:\n" + String(repeating: "- ", count: 5000) + "1\n", 4),
                             (String(repeating: "{a: ", count: 70) + "1" + String(repeating: "}", count: 70), 1)] {
            guard case .tooDeep(_, let reported, let depth) = error(yaml) else { return XCTFail("not refused: \(yaml.prefix(40))") }
            XCTAssertEqual(reported, line)
            XCTAssertGreaterThan(depth, ConfigLimits.maxDepth)
        }
        XCTAssertNil(error("data:\n  file: d.h5\nm: " + String(repeating: "[", count: 60) + String(repeating: "]", count: 60)))
        let deepSet = "model.x=" + String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        XCTAssertTrue(error("data:\n  file: d.h5\n", overrides: [deepSet])?.description.hasPrefix("--set model.x=[[[[") ?? false)
        let longPath = (0..<70).map { "k\($0)" }.joined(separator: ".") + "=1"
        XCTAssertTrue(error("data:\n  file: d.h5\n", overrides: [longPath])?.description.contains("nested at most 64 deep") ?? false)
    }

    func testEveryShippedConfigurationIsWithinTheLimits() throws {
        let experiments = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../experiments").standardized
        let files = try FileManager.default.subpathsOfDirectory(atPath: experiments.path).filter { $0.hasSuffix(".yaml") }
        XCTAssertGreaterThan(files.count, 5)
        for file in files {
            let text = try String(contentsOf: experiments.appendingPathComponent(file), encoding: .utf8)
            XCTAssertLessThanOrEqual(YAMLNesting.deepest(in: text).depth, 4, file)
            XCTAssertNoThrow(try ConfigDocument(yaml: text, file: file), file)
        }
    }

    func testSizeDirectoryAndDuplicateKeys() throws {
        XCTAssertEqual(error("#" + String(repeating: "x", count: ConfigLimits.maxBytes) + "\n")?.description,
                       "c.yaml: expected a configuration of at most 1 MB (1048576 bytes), found 1048578 bytes")
        XCTAssertThrowsError(try ConfigDocument(contentsOf: folder.path)) {
            XCTAssertEqual($0 as? ConfigError, .notAFile(file: self.folder.path, found: "a directory"))
        }
        XCTAssertEqual(error("data:\n  file: d.h5\ndata:\n  file: e.h5\n"), .duplicateKey(file: "c.yaml", keyPath: "data", line: 3, firstLine: 1))
        XCTAssertEqual(error("data:\n  file: d.h5\n  file: e.h5\n")?.description,
                       "c.yaml:3: data.file: duplicate key (first at line 2); each key may appear once")
        XCTAssertEqual(error("data:\n  file: d.h5\ngrid:\n- {a: 1, a: 2}\n")?.keyPath, "grid[0].a")
        let laughs = "l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n"
            + (1...8).map { i in "l\(i): &l\(i) [" + [String](repeating: "*l\(i - 1)", count: 10).joined(separator: ", ") + "]\n" }.joined()
        let start = Date()
        XCTAssertEqual(error(laughs), .tooManyValues(file: "c.yaml"))
        XCTAssertLessThan(Date().timeIntervalSince(start), 5)
        XCTAssertNil(error("data: &d\n  file: d.h5\ncopy: *d\n"))  // an alias used a few times is fine
    }

    func testMisspeltSectionsAndRequiredKeysAreNamed() {
        XCTAssertEqual(error("dat:\n  file: d.h5\n")?.description, "c.yaml: dat: unknown key; did you mean 'data'?")
        XCTAssertEqual(error("data:\n  fiel: d.h5\n")?.description, "c.yaml: data.fiel: unknown key; did you mean 'data.file'?")
        XCTAssertEqual(error("seed: 1\n")?.description, "c.yaml: data.file: missing; expected a string")
    }

    func testListsAreShownAsWritten() throws {
        let section = try ConfigDocument(yaml: "columns: [3, 3]\n", file: "c.yaml").rootSection()
        XCTAssertThrowsError(try section.required("columns") as Int) {
            XCTAssertEqual(($0 as? ConfigError)?.description, "c.yaml:1: columns: expected an integer, found [3, 3]")
        }
    }
}
