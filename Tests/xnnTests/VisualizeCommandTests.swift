import Foundation
import XCTest
import XNNTestSupport
import XNNStorage

/// `xnn visualize` end to end on a tiny trained run, with and without feature maps.
final class VisualizeCommandTests: FolderTestCase {
    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try XNNProcess.run(arguments, in: folder)
    }

    /// 60 images, 6 channels on a 2 × 2 grid; activations are the spatial means of the maps.
    func writeData(_ name: String, featureMaps: Bool) throws {
        try Self.writeData(into: folder, name: name, featureMaps: featureMaps)
    }

    /// A 3-concept run at FOLDER/run trained by `xnn train c.yaml` on FOLDER/d.h5 (with feature maps).
    static func trainTinyRun(in folder: URL) throws {
        try writeData(into: folder, name: "d.h5", featureMaps: true)
        try """
        seed: 2
        data: {file: d.h5, target_columns: [0], test_fraction: 0.2}
        model: {hidden_widths: [8], concepts: 3}
        training: {epochs: 3, batch_size: 10, threads: 1, acceptance: {enabled: false}}
        """.write(to: folder.appendingPathComponent("c.yaml"), atomically: true, encoding: .utf8)
        let train = try XNNProcess.run(["train", "c.yaml", "--out", "run", "--quiet"], in: folder)
        XCTAssertEqual(train.status, 0, train.stderr)
    }

    static func writeData(into folder: URL, name: String, featureMaps: Bool) throws {
        var maps = [Float](), activations = [Float](), logits = [Float](), thumbnails = [UInt8]()
        for i in 0..<60 {
            var mean = [Float](repeating: 0, count: 6)
            for u in 0..<4 {
                for d in 0..<6 {
                    let value = max(0, sin(Float(i * 7 + u * 3 + d * 11)) + 0.3)
                    maps.append(value)
                    mean[d] += value / 4
                }
            }
            activations += mean
            logits += [mean[0] * 2 - mean[1] + mean[2], mean[3]]
            thumbnails += (0..<64).map { UInt8(($0 * 4 + i) % 256) }
        }
        let file = try HDF5File(path: folder.appendingPathComponent(name).path, mode: .truncate)
        try file.write("activations", floats: activations, shape: [60, 6])
        try file.write("logits", floats: logits, shape: [60, 2])
        try file.write("labels", ints: (0..<60).map { $0 % 3 }, shape: [60])
        try file.write("class_names", strings: ["a", "b", "c"])
        try file.write("image_ids", strings: (0..<60).map { "img<\($0)>" })
        try file.write("thumbnails", bytes: thumbnails, shape: [60, 8, 8])
        if featureMaps {
            try file.write("feature_maps", floats: Array(maps[0..<(30 * 24)]), shape: [30, 2, 2, 6])
            try file.write("feature_map_rows", ints: Array(0..<30), shape: [30])
        }
        file.close()
    }

    func testVisualizeWritesAnOfflineSiteAndRefusesToOverwrite() throws {
        try Self.trainTinyRun(in: folder)
        try writeData("plain.h5", featureMaps: false)

        let site = try run(["visualize", "run", "--out", "site", "--top", "4"])
        XCTAssertEqual(site.status, 0, site.stderr)
        XCTAssertTrue(site.stdout.contains("3 concept pages, 20 image pages"), site.stdout)
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("site").path)
        for name in ["index.html", "concept-0.html", "concept-2.html", "img"] { XCTAssertTrue(files.contains(name), name) }
        let images = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("site/img").path)
        XCTAssertTrue(images.contains { $0.hasPrefix("heat-") }, "heatmaps written")
        let index = try String(contentsOf: folder.appendingPathComponent("site/index.html"), encoding: .utf8)
        XCTAssertTrue(index.contains("img&lt;0&gt;"), "ids are escaped")
        XCTAssertTrue(index.contains("Trained by xnn ") && index.contains(": xnn train c.yaml --out run --quiet</p>"), "provenance shown")
        XCTAssertFalse(index.contains("img<0>"))
        XCTAssertTrue(index.contains("Concept heatmaps overlap with mean |cos| "), "the heatmap overlap is shown")
        // Every image a page names exists.
        for page in files where page.hasSuffix(".html") {
            let html = try String(contentsOf: folder.appendingPathComponent("site/\(page)"), encoding: .utf8)
            for match in html.components(separatedBy: "<img src=\"").dropFirst() {
                let source = String(match.prefix { $0 != "\"" })
                XCTAssertTrue(FileManager.default.fileExists(atPath: folder.appendingPathComponent("site/\(source)").path), "\(page): \(source)")
            }
        }

        let again = try run(["visualize", "run", "--out", "site"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("site"), again.stderr)

        let chosen = try run(["visualize", "run", "--out", "chosen", "--images", "img<3>", "img<40>"])
        XCTAssertEqual(chosen.status, 0, chosen.stderr)
        XCTAssertTrue(chosen.stdout.contains("2 image pages"), chosen.stdout)
        let unknown = try run(["visualize", "run", "--out", "bad", "--images", "nope"])
        XCTAssertEqual(unknown.status, 1)
        XCTAssertTrue(unknown.stderr.contains("'nope'") && unknown.stderr.contains("image_ids"), unknown.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.appendingPathComponent("bad").path))

        // An ensemble: a second seed, matched and averaged.
        XCTAssertEqual(try run(["train", "c.yaml", "--out", "run2", "--set", "seed=7", "--quiet"]).status, 0)
        let ensemble = try run(["visualize", "run", "run2", "--out", "ensemble"])
        XCTAssertEqual(ensemble.status, 0, ensemble.stderr)
        let ensembleIndex = try String(contentsOf: folder.appendingPathComponent("ensemble/index.html"), encoding: .utf8)
        XCTAssertTrue(ensembleIndex.contains("Ensemble of 2 runs") && ensembleIndex.contains("heatmap r"), ensembleIndex)

        let plain = try run(["visualize", "run", "--out", "plain", "--data", "plain.h5"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertTrue(plain.stderr.contains("heatmaps need spatial feature maps"), plain.stderr)
        let plainIndex = try String(contentsOf: folder.appendingPathComponent("plain/index.html"), encoding: .utf8)
        XCTAssertTrue(plainIndex.contains("heatmaps need spatial feature maps"))
        let plainImages = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("plain/img").path)
        XCTAssertFalse(plainImages.contains { $0.hasPrefix("heat-") })
        XCTAssertTrue(try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("plain").path).contains { $0.hasPrefix("image-") })
    }
}
