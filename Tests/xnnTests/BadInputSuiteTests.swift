import Foundation
import XCTest
import XNNTestSupport

/// The bad-input suite (docs/reliability.md): every case of `BadInputCase.all` must end with its
/// exit status and exactly one `xnn: error:` line holding its message, as the last line of
/// stderr, and leave no half-written run behind. A crash (signal) or a hang fails the case.
final class BadInputSuiteTests: FolderTestCase {
    func testEveryBadInputGivesItsExitStatusAndOneLine() throws {
        guard FileManager.default.isExecutableFile(atPath: XNNProcess.executable.path) else {
            return XCTFail("xnn binary not built at \(XNNProcess.executable.path): run swift build --build-tests first")
        }
        try BadInputFixtures.write(in: folder) { arguments in
            let result = try XNNProcess.run(arguments, in: folder)
            guard result.status == 0 else { throw FixtureError(message: "fixture run failed: \(result.stderr)") }
        }
        XCTAssertGreaterThanOrEqual(BadInputCase.all.count, 60)
        XCTAssertEqual(Set(BadInputCase.all.map(\.name)).count, BadInputCase.all.count, "case names must be unique")
        var failures: [String] = []
        for badInput in BadInputCase.all {
            if let problem = try check(badInput) { failures.append("\(badInput.name): \(problem)") }
        }
        XCTAssertTrue(failures.isEmpty, "\(failures.count) of \(BadInputCase.all.count) cases failed:\n" + failures.joined(separator: "\n"))
    }

    /// Runs one case; nil when it behaved, else what went wrong.
    private func check(_ badInput: BadInputCase) throws -> String? {
        for (name, text) in badInput.files { try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        defer {
            for name in badInput.files.keys { try? FileManager.default.removeItem(at: folder.appendingPathComponent(name)) }
            try? FileManager.default.removeItem(at: folder.appendingPathComponent("runs"))
        }
        let result = try XNNProcess.run(badInput.arguments, in: folder, fileSizeLimitKB: badInput.fileSizeLimitKB, timeout: 30)
        let lines = result.stderr.split(separator: "\n")
        let errorLines = lines.filter { $0.hasPrefix("xnn: error: ") }
        if result.status == SIGKILL && badInput.status != SIGKILL { return "killed after 30 s (a hang)" }
        if result.status != badInput.status { return "exit status \(result.status), expected \(badInput.status); stderr: \(result.stderr.prefix(300))" }
        if errorLines.count != 1 || lines.last != errorLines.first { return "expected one error line, last on stderr; stderr: \(result.stderr.prefix(300))" }
        if !errorLines[0].contains(badInput.message) { return "message \(errorLines[0].prefix(300)) lacks \(badInput.message.prefix(200))" }
        if let leftover = try leftovers().first { return "left \(leftover) behind" }
        return nil
    }

    /// Hidden staging folders of runs (".NAME.partial-PID") anywhere in the test folder.
    private func leftovers() throws -> [String] {
        let manager = FileManager.default
        guard let walker = manager.enumerator(atPath: folder.path) else { return [] }
        return walker.compactMap { $0 as? String }.filter { ($0 as NSString).lastPathComponent.contains(".partial-") }
    }

    private struct FixtureError: Error, CustomStringConvertible { let message: String; var description: String { message } }
}
