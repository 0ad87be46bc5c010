import Foundation
import XCTest

/// A test case with a fresh temporary folder for each test, removed afterwards: the fixture that
/// every test writing files shares.
open class FolderTestCase: XCTestCase {
    public private(set) var folder: URL!

    open override func setUpWithError() throws {
        try super.setUpWithError()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("xnn-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    open override func tearDownWithError() throws {
        try? FileManager.default.removeItem(at: folder)
        try super.tearDownWithError()
    }

    /// The path of `name` inside the test's folder.
    public func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
}
