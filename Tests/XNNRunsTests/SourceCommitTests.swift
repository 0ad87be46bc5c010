import Foundation
import XCTest
import XNNTestSupport
@testable import XNNRuns

/// provenance.json's source_commit, read from git's files: a plain checkout and a `git worktree`
/// (whose .git is a file naming its git directory, whose branches live in the shared one).
final class SourceCommitTests: FolderTestCase {
    let commit = String(repeating: "ab", count: 20)

    func write(_ text: String, _ name: String) throws {
        let url = folder.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func testPlainCheckoutAndPackedRef() throws {
        try write("ref: refs/heads/main\n", "main/.git/HEAD")
        try write("# pack-refs\n\(commit) refs/heads/main\n", "main/.git/packed-refs")
        XCTAssertEqual(SourceCommit.find(above: folder.appendingPathComponent("main/.build/release/xnn")), commit)
    }

    func testWorktreeWithRelativeAndAbsoluteGitdir() throws {
        try write("\(commit)\n", "main/.git/refs/heads/topic")
        try write("ref: refs/heads/topic\n", "main/.git/worktrees/wt/HEAD")
        try write("../..\n", "main/.git/worktrees/wt/commondir")
        try write("gitdir: \(path("main/.git/worktrees/wt"))\n", "wt/.git")
        XCTAssertEqual(SourceCommit.find(above: folder.appendingPathComponent("wt/.build/release/xnn")), commit)
        try write("gitdir: ../main/.git/worktrees/wt\n", "wt/.git")
        XCTAssertEqual(SourceCommit.find(above: folder.appendingPathComponent("wt/.build/release/xnn")), commit)
    }
}
