import Foundation
import XCTest
import XNNStorage
import XNNTestSupport

/// RUN/heatmaps.h5 (docs/heatmaps.md) on the review site's concept pages and in `xnn evaluate`.
final class TestedHeatmapsTests: FolderTestCase {
    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        try XNNProcess.run(arguments, in: folder)
    }

    func trainTinyRun() throws { try VisualizeCommandTests.trainTinyRun(in: folder) }

    /// Per concept one image (row 5 + j), methods "igos" (better: lower deletion, higher insertion)
    /// and "random", 2 × 2 cells, 5 curve points; concept 0's image has a graph of one root {0, 1}
    /// and its two children {0} and {1}.
    func writeHeatmaps(format: String = "xnn-concept-heatmaps") throws {
        let file = try HDF5File(path: path("run/heatmaps.h5"), mode: .truncate)
        try file.write("methods", strings: ["igos", "random"])
        try file.write("fractions", floats: [0, 0.25, 0.5, 0.75, 1], shape: [5])
        for j in 0..<3 {
            let image = "concepts/\(j)/images/0"
            for (name, deletion, insertion) in [("igos", 0.2, 0.9), ("random", 0.6, 0.5)] {
                let object = image + "/" + name
                try file.write(object + "/heatmap", floats: [1, 0.5, 0.25, 0], shape: [2, 2])
                try file.write(object + "/deletion", floats: [2, 1.5, 1, 0.5, 0], shape: [5])
                try file.write(object + "/insertion", floats: [0, 0.5, 1, 1.5, 2], shape: [5])
                try file.setAttribute("deletion_area", deletion, on: object)
                try file.setAttribute("insertion_area", insertion, on: object)
            }
            try file.setAttribute("row", 5 + j, on: image)
            if j == 0 {
                try file.write(image + "/sag/nodes", ints: [1, 1, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0], shape: [3, 4])
                try file.write(image + "/sag/node_scores", floats: [1.9, 1.2, 0.4], shape: [3])
                try file.write(image + "/sag/edges", ints: [0, 1, 1, 0, 2, 0], shape: [2, 3])
                try file.setAttribute("roots", 1, on: image + "/sag")
            }
        }
        try file.setAttribute("format", format)
        try file.setAttribute("concepts", 3)
        file.close()
    }

    func testConceptPagesShowTheTestedHeatmapsTheirCurvesAreasAndGraph() throws {
        try trainTinyRun()
        XCTAssertEqual(try run(["visualize", "run", "--out", "plain"]).status, 0)
        let plain = try String(contentsOfFile: path("plain/concept-0.html"), encoding: .utf8)
        XCTAssertTrue(plain.contains("Not computed for this run") && plain.contains("scripts/concept_heatmaps.py --run RUN"), "says how to make them")

        try writeHeatmaps()
        let site = try run(["visualize", "run", "--out", "site"])
        XCTAssertEqual(site.status, 0, site.stderr)
        let page = try String(contentsOfFile: path("site/concept-0.html"), encoding: .utf8)
        XCTAssertTrue(page.contains("Heatmaps tested by deletion and insertion"))
        XCTAssertTrue(page.contains("<td>igos</td><td class=n><b>0.2</b></td><td class=n><b>0.9</b></td>"), "the better method in bold")
        XCTAssertTrue(page.contains("<td>random</td><td class=n>0.6</td><td class=n>0.5</td>"))
        XCTAssertTrue(page.contains("Deletion: most important cells blurred first") && page.contains("Insertion: most important cells revealed first"))
        let section = String(page[page.range(of: "Heatmaps tested by deletion")!.lowerBound...])
        XCTAssertEqual(section.components(separatedBy: "<polyline").count - 1, 4, "two curves in each of two charts")
        XCTAssertTrue(section.contains("aria-label=\"structured attention graph, 1 roots\""))
        XCTAssertEqual(section.components(separatedBy: "<image href=").count - 1, 3, "the root and its two children")
        XCTAssertEqual(section.components(separatedBy: "fill-opacity=\"0.85\"").count - 1, 2 + 3 + 3, "hidden patches greyed")
        XCTAssertTrue(section.contains(">95 %</text>") && section.contains(">60 %</text>"), "scores as shares of the whole image's (x_j 2 at deletion step 0)")
        for source in section.components(separatedBy: "<img src=\"").dropFirst().map({ String($0.prefix { $0 != "\"" }) }) {
            XCTAssertTrue(FileManager.default.fileExists(atPath: path("site/" + source)), source)
        }
        XCTAssertFalse(try String(contentsOfFile: path("site/concept-1.html"), encoding: .utf8).contains("structured attention graph"),
                       "no graph where the file has none")

        let evaluation = try run(["evaluate", "run"])
        XCTAssertEqual(evaluation.status, 0, evaluation.stderr)
        XCTAssertTrue(evaluation.stdout.contains("  igos    deletion 0.2000  insertion 0.9000"), evaluation.stdout)
        let json = try String(contentsOfFile: path("run/evaluation.json"), encoding: .utf8)
        XCTAssertTrue(json.contains("\"deletion_area\" : 0.6") && json.contains("\"images\" : 3"), json)
    }

    func testAForeignOrMismatchedHeatmapFileIsRefusedInOneLine() throws {
        try trainTinyRun()
        try writeHeatmaps(format: "something-else")
        let result = try run(["visualize", "run", "--out", "site"])
        XCTAssertNotEqual(result.status, 0)
        let lines = result.stderr.split(separator: "\n").filter { $0.contains("heatmaps.h5") }
        XCTAssertEqual(lines.count, 1, result.stderr)
        XCTAssertTrue(lines[0].contains("expected concept heatmaps written by scripts/concept_heatmaps.py") && lines[0].contains("something-else"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: path("site")), "nothing half-written")
    }
}
