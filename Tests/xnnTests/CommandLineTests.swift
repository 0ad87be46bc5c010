import Foundation
import XCTest
import XNNTestSupport
import XNNStorage

/// Runs the built `xnn` binary as a user would: exit codes and one-line errors on stderr.
final class CommandLineTests: FolderTestCase {
    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        guard FileManager.default.isExecutableFile(atPath: XNNProcess.executable.path) else {
            XCTFail("xnn binary not built at \(XNNProcess.executable.path): run swift build --build-tests first")
            return (-1, "", "")
        }
        return try XNNProcess.run(arguments, in: folder)
    }

    func testVersionAndChoicesThatParseThemselves() throws {
        let version = try run(["--version"])
        XCTAssertEqual(version.status, 0)
        XCTAssertTrue(version.stdout.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, version.stdout)
        let method = try run(["visualize", "run", "--out", "site", "--method", "gradcam"])
        XCTAssertNotEqual(method.status, 0)
        XCTAssertTrue(method.stderr.contains("'grad-cam' and 'spatial'"), method.stderr)
        for command in ["train", "evaluate", "visualize", "bench"] {
            XCTAssertTrue(try run([command, "--help"]).stdout.contains("--force"), command)
        }
    }

    /// --print-config shows the resolved settings (defaults filled in, --set applied), trains
    /// nothing and writes nothing; the printed text is itself a valid configuration.
    func testPrintConfigShowsResolvedSettingsAndTrainsNothing() throws {
        try write("data:\n  file: d.h5\nmodel:\n  concepts: 3\n", "c.yaml")
        let printed = try run(["train", "c.yaml", "--set", "training.epochs=7", "--print-config"])
        XCTAssertEqual(printed.status, 0, printed.stderr)
        XCTAssertTrue(printed.stdout.contains("  concepts: 3\n") && printed.stdout.contains("  epochs: 7\n"), printed.stdout)
        XCTAssertTrue(printed.stdout.contains("  dropout: 0.02\n"), printed.stdout)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["c.yaml"])
        try write(printed.stdout, "resolved.yaml")
        let again = try run(["train", "resolved.yaml", "--print-config"])
        XCTAssertEqual(again.stdout, printed.stdout)
        let bad = try run(["train", "c.yaml", "--set", "training.epoch=7", "--print-config"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("training.epoch: unknown key"), bad.stderr)
    }

    /// provenance.json: the version, the commit of the checkout the binary was built in (these
    /// tests run from one), the command line, a UTC start time, the threads and the machine.
    func checkProvenance(of runName: String) throws {
        let data = try Data(contentsOf: folder.appendingPathComponent("\(runName)/provenance.json"))
        let provenance = try XCTUnwrap(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let version = try run(["--version"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertEqual(provenance["xnn_version"] as? String, version)
        let commit = try XCTUnwrap(provenance["source_commit"] as? String)
        XCTAssertNotNil(commit.range(of: "^[0-9a-f]{40}$", options: .regularExpression), commit)
        XCTAssertEqual((provenance["command_line"] as? [String])?.dropFirst().first, "train")
        XCTAssertNotNil(ISO8601DateFormatter().date(from: provenance["started"] as? String ?? ""))
        XCTAssertEqual(provenance["threads"] as? Int, 1, "a model this small trains on one thread")
        let machine = try XCTUnwrap(provenance["machine"] as? [String: Any])
        XCTAssertEqual(machine["cores"] as? Int, ProcessInfo.processInfo.activeProcessorCount)
    }

    func testTrainAndInspectFromTheCommandLine() throws {
        try writeTinyData(rows: 60)
        try write("data:\n  file: d.h5\nmodel:\n  hidden_widths: [8]\n  concepts: 2\ntraining:\n  epochs: 2\n  batch_size: 16\n", "c.yaml")
        let trained = try run(["train", "c.yaml", "--out", "run1"])
        XCTAssertEqual(trained.status, 0, trained.stderr)
        XCTAssertTrue(trained.stderr.contains("epoch   2/2"), trained.stderr)
        XCTAssertTrue(trained.stderr.contains("samples/s"), trained.stderr)
        // Not a terminal: plain lines, no carriage returns, the columns explained once.
        XCTAssertFalse(trained.stderr.contains("\r"), trained.stderr)
        XCTAssertEqual(trained.stderr.components(separatedBy: "columns: loss = weighted total").count, 2, trained.stderr)
        XCTAssertTrue(trained.stdout.contains("test "), trained.stdout)
        try checkProvenance(of: "run1")
        let again = try run(["train", "c.yaml", "--out", "run1"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.hasPrefix("xnn: error: run1: a run directory already exists there; pass --force"), again.stderr)
        XCTAssertEqual(try run(["train", "c.yaml", "--out", "run1", "--force", "--quiet"]).status, 0)
        // --force replaces what xnn wrote, never a folder of someone else's files.
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("precious"), withIntermediateDirectories: false)
        try write("keep me", "precious/notes.txt")
        let refused = try run(["train", "c.yaml", "--out", "precious", "--force", "--quiet"])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.stderr.contains("precious: --force replaces only folders xnn wrote"), refused.stderr)
        XCTAssertEqual(try String(contentsOf: folder.appendingPathComponent("precious/notes.txt"), encoding: .utf8), "keep me")
        let evaluated = try run(["evaluate", "run1"])
        XCTAssertEqual(evaluated.status, 0, evaluated.stderr)
        XCTAssertTrue(evaluated.stdout.contains("explained variance"), evaluated.stdout)
        let again2 = try run(["evaluate", "run1"])
        XCTAssertEqual(again2.status, 1)
        XCTAssertEqual(again2.stderr, "xnn: error: run1/evaluation.json: cannot write: it exists; pass --force to replace it\n")
        XCTAssertEqual(try run(["compare", "run1", "run1"]).status, 0)
        let inspected = try run(["inspect", "run1/model.h5"])
        XCTAssertEqual(inspected.status, 0)
        let weightLine = inspected.stdout.split(separator: "\n").first { $0.hasPrefix("encoder/0/weight ") }
        XCTAssertTrue(weightLine?.hasSuffix("float32  [8, 6]") ?? false, inspected.stdout)
        XCTAssertTrue(inspected.stdout.contains("float32  [8]"), inspected.stdout)
        XCTAssertTrue(inspected.stdout.contains("format = xnn-model"), inspected.stdout)
    }

    func testBadInputsExitNonZeroWithOneLine() throws {
        try writeTinyData(rows: 60)
        try write("data:\n  file: d.h5\ntraining:\n  epochz: 2\n", "typo.yaml")
        try write("data:\n  file: d.h5\ntraining:\n  batch_size: -3\n", "value.yaml")
        try write("data:\n  file: d.h5\n  activations: acts\n", "dataset.yaml")
        let cases: [([String], String)] = [
            (["train", "missing.yaml"], "xnn: error: missing.yaml: configuration file not found"),
            (["train", "typo.yaml"], "xnn: error: typo.yaml: training.epochz: unknown key; did you mean 'training.epochs'?"),
            (["train", "value.yaml"], "xnn: error: typo.yaml".replacingOccurrences(of: "typo", with: "value") + ":4: training.batch_size: expected a positive integer, found '-3'"),
            (["train", "dataset.yaml"], "xnn: error: d.h5: dataset 'acts' not found (available: activations, logits)"),
            (["train", "typo.yaml", "--set", "training.epochz=3"], "xnn: error: typo.yaml: training.epochz: unknown key; did you mean 'training.epochs'?"),
            (["inspect", "nothing.h5"], "xnn: error: nothing.h5: file not found"),
        ]
        for (arguments, expected) in cases {
            let result = try run(arguments)
            XCTAssertEqual(result.status, 1, arguments.joined(separator: " "))
            XCTAssertEqual(result.stderr, expected + "\n", arguments.joined(separator: " "))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs").path))
    }
}
