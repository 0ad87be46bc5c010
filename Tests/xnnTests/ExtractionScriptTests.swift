import Foundation
import XCTest
import XNNBenchmark

/// The Python scripts' own tests, through the repository's `.venv` (scripts/python_env.sh --peers)
/// or python3: scripts/extract_activations.py (a tiny random CNN; the shipped sample reproduced from
/// its sources; --layers' gradient weights) and scripts/jax_reference.py against scripts/torch_reference.py (the same losses and
/// weights after the same steps). Each is skipped, saying why, where its packages are missing.
final class ExtractionScriptTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let python = PythonInterpreter.preferred(repository: repository.path)

    func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let run = try Self.python.run(arguments, in: Self.repository)
        return (run.status, run.stdout + run.stderr)
    }

    /// Runs one test file of scripts/tests after checking that `modules` import.
    func runScriptTests(_ file: String, needing modules: String) throws {
        let probe = try python(["-c", "import \(modules)"])
        if probe.status != 0 {
            throw XCTSkip("scripts/tests/\(file) needs \(Self.python.path) with \(modules) (bash scripts/python_env.sh --peers): "
                          + "\(probe.output.split(separator: "\n").last ?? "")")
        }
        let result = try python(["-m", "unittest", "discover", "-s", "scripts/tests", "-p", file])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertFalse(result.output.contains("skipped"), result.output)
        XCTAssertTrue(result.output.contains("\nOK") && !result.output.contains("Ran 0 tests"), result.output)
    }

    func testExtractionScriptPassesItsTests() throws {
        try runScriptTests("test_extract_activations.py", needing: "torch, h5py")
    }

    /// --layers: gradient weights against finite differences and the MNIST head's W/(h·w).
    func testLayerCapturePassesItsTests() throws {
        try runScriptTests("test_layer_capture.py", needing: "torch, h5py")
    }

    /// I-GOS, iGOS++, deletion/insertion and SAG (scripts/heatmaps, docs/heatmaps.md).
    func testHeatmapMethodsPassTheirTests() throws {
        try runScriptTests("test_heatmaps.py", needing: "torch, h5py")
    }

    /// python/xnn_swift: load_run reproduces concepts.h5 (numpy; to_torch when torch imports).
    func testPythonLoaderReproducesRuns() throws {
        try runScriptTests("test_python_loader.py", needing: "numpy, h5py")
    }

    func testJAXReferenceMatchesTorchReference() throws {
        try runScriptTests("test_jax_reference.py", needing: "jax, torch, h5py")
    }
}
