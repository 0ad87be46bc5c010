import Foundation
import XCTest
import XNNTestSupport
@testable import XNNTraining

/// Paths in a configuration file are relative to its folder; `--set` paths to the working directory.
final class ConfigPathsTests: FolderTestCase {
    func testLexicalNormalisation() {
        XCTAssertEqual(ConfigPaths.normalised("experiments/../data/a.h5"), "data/a.h5")
        XCTAssertEqual(ConfigPaths.normalised("a/./b//c/../d"), "a/b/d")
        XCTAssertEqual(ConfigPaths.normalised("../x/../../y"), "../../y")
        XCTAssertEqual(ConfigPaths.normalised("/r/s/../t"), "/r/t")
        XCTAssertEqual(ConfigPaths.resolve("/abs/a.h5", folder: "experiments"), "/abs/a.h5")
        XCTAssertEqual(ConfigPaths.resolve("a.h5", folder: ""), "a.h5")
        XCTAssertEqual(ConfigPaths.resolveOverride("data.file=d.h5", folder: "sweeps"), "data.file=sweeps/d.h5")
        XCTAssertEqual(ConfigPaths.resolveOverride("seed=3", folder: "sweeps"), "seed=3")
    }

    func testFilePathsFollowTheFileAndSetPathsTheWorkingDirectory() throws {
        let sub = path("configs")
        try FileManager.default.createDirectory(atPath: sub, withIntermediateDirectories: true)
        XCTAssertTrue(FileManager.default.createFile(atPath: path("data.h5"), contents: Data()))
        try "data:\n  file: ../data.h5\noutput:\n  directory: ../runs/a\n".write(toFile: sub + "/c.yaml", atomically: true, encoding: .utf8)
        let fromFile = try RunConfiguration.load(file: sub + "/c.yaml")
        XCTAssertEqual(fromFile.data.file, path("data.h5"))
        XCTAssertEqual(fromFile.output.directory, path("runs/a"))
        let overridden = try RunConfiguration.load(file: sub + "/c.yaml", overrides: ["data.file=\(path("data.h5"))", "output.directory=out"])
        XCTAssertEqual(overridden.output.directory, "out", "a --set path is the working directory's")
        XCTAssertThrowsError(try RunConfiguration.load(file: sub + "/c.yaml", overrides: ["data.file=missing.h5"])) {
            XCTAssertEqual("\($0)", "\(sub)/c.yaml: data.file: expected an existing HDF5 file (a relative --set path is taken from the working directory), found 'missing.h5', which does not exist")
        }
        XCTAssertNoThrow(try RunConfiguration.load(file: sub + "/c.yaml", overrides: ["data.file=missing.h5"], checkFiles: false))
    }
}
