import Foundation
import XCTest
import XNNTestSupport

/// `xnn layers` on the shipped layer-wise sample: the clusters file and its pages.
final class LayersCommandTests: FolderTestCase {
    static let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("data/mnist_cnn_layers.h5").path

    func testClustersAndPagesOfTheShippedSample() throws {
        let made = try XNNProcess.run(["layers", Self.sample, "--images", "3", "--out", "c.h5", "--site", "site"], in: folder)
        XCTAssertEqual(made.status, 0, made.stderr)
        XCTAssertTrue(made.stdout.contains("relu1: "), made.stdout)
        XCTAssertTrue(made.stdout.contains("wrote site/index.html: 3 image pages"), made.stdout)
        let site = folder.appendingPathComponent("site")
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        for layer in ["relu1", "relu2", "relu3"] { XCTAssertTrue(index.contains("<td>\(layer)</td>"), layer) }
        XCTAssertTrue(index.contains("How to read this"))
        for page in ["index.html", "image-0.html", "image-1.html", "image-2.html"] {
            let html = try String(contentsOf: site.appendingPathComponent(page), encoding: .utf8)
            let sources = html.components(separatedBy: "<img src=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            XCTAssertFalse(sources.isEmpty, page)
            for source in sources { XCTAssertTrue(FileManager.default.fileExists(atPath: site.appendingPathComponent(source).path), "\(page): \(source)") }
        }
        let again = try XNNProcess.run(["layers", Self.sample, "--images", "3", "--out", "c.h5"], in: folder)
        XCTAssertNotEqual(again.status, 0)
        XCTAssertTrue(again.stderr.contains("pass --force"), again.stderr)
    }
}
