import Foundation
import XCTest
import XNNClustering
import XNNEvaluation
import XNNLinearAlgebra
import XNNStorage
import XNNTestSupport
@testable import XNNRuns

/// `xnn layers` (docs/layers.md): planted channel groups come back in the output file, the file's
/// arrays agree with each other, and bad input or an existing file is refused in one line.
final class LayerClusterRunTests: FolderTestCase {
    /// One layer "conv", 2 images, 1 explained logit, 5 × 5 maps: channels 0–5 a blob top left,
    /// 6–11 a blob bottom right, 12–17 a bar in the middle; channels 18–19 nearly weightless.
    func writeLayerFile(_ name: String = "layers.h5", mapsShape: [Int]? = nil) throws -> String {
        var generator = SeededGenerator(seed: 3)
        let images = 2, side = 5, channels = 20
        var maps = [Float](repeating: 0, count: images * side * side * channels), weights = [Float]()
        for image in 0..<images {
            for k in 0..<channels {
                let gain = 0.5 + generator.nextUnitFloat()
                for y in 0..<side {
                    for x in 0..<side {
                        let on: Bool
                        switch k / 6 {
                        case 0: on = x < 2 && y < 2
                        case 1: on = x > 2 && y > 2
                        case 2: on = y == 2
                        default: on = true
                        }
                        maps[((image * side + y) * side + x) * channels + k] = (on ? gain : 0) + 0.01 * generator.nextUnitFloat()
                    }
                }
                weights.append(k < 18 ? 1 + 0.2 * generator.nextUnitFloat() : 0.001)  // every planted channel above 0.9 × 100/20 %
            }
        }
        let file = try HDF5File(path: path(name), mode: .truncate)
        try file.write("layers/names", strings: ["conv"])
        try file.write("layers/gradient_classes", ints: [3, 3], shape: [images, 1])
        try file.write("feature_map_rows", ints: [7, 9], shape: [images])
        try file.write("layers/conv/feature_maps", floats: maps, shape: mapsShape ?? [images, side, side, channels])
        try file.write("layers/conv/guided_weights", floats: weights, shape: [images, 1, channels])
        try file.finishWriting()
        file.close()
        return path(name)
    }

    func testPlantedGroupsAreWrittenConsistently() throws {
        let input = try writeLayerFile()
        let summary = try LayerClusterRun(seed: 1).run(input: input, output: path("out.h5"), limit: nil, force: false) { _, _ in }
        XCTAssertEqual(summary.map(\.name), ["conv"])
        let out = try HDF5File(path: path("out.h5"))
        XCTAssertEqual(try out.stringAttribute("format"), LayerClusterRun.format)
        XCTAssertEqual(try out.readInts("rows").values, [7, 9])
        XCTAssertEqual(try out.readInts("conv/cluster_count").values, [3, 3])
        let labels = try out.readInts("conv/channel_cluster")
        XCTAssertEqual(labels.shape, [2, 1, 20])
        for image in 0..<2 {
            let own = Array(labels.values[(image * 20)..<(image * 20 + 20)])
            for group in 0..<3 { XCTAssertEqual(Set(own[(group * 6)..<(group * 6 + 6)]).count, 1, "group \(group) is one cluster") }
            XCTAssertEqual(Set(own.prefix(18)).count, 3)
            XCTAssertEqual(Array(own.suffix(2)), [-1, -1], "weightless channels fall below the share threshold")
        }
        let weights = try out.readFloats("conv/cluster_weights"), kept = try out.readFloats("conv/kept_mass")
        XCTAssertEqual(weights.shape, [2, 1, 8])
        XCTAssertEqual(Double(kept.values[0]), Double(weights.values[0..<8].reduce(0, +)), accuracy: 1e-3)
        XCTAssertEqual(Double(kept.values[0]), 100, accuracy: 0.02, "all but the two weightless channels")
        let maps = try out.readFloats("conv/cluster_maps")
        XCTAssertEqual(maps.shape, [2, 1, 8, 5, 5])
        let first = (0..<3).map { slot in (0..<25).map { Double(maps.values[slot * 25 + $0]) } }
        let overlap = try out.readFloats("conv/map_overlap")
        XCTAssertEqual(Double(overlap.values[0]), OrthogonalityMetrics(vectors: first).meanAbsoluteCosine, accuracy: 1e-5)
        XCTAssertEqual(maps.values[(3 * 25)..<(8 * 25)].max(), 0, "unused slots hold zeros")
    }

    func testSameSeedGivesTheSameFileAndExistingFilesAreKept() throws {
        let input = try writeLayerFile()
        _ = try LayerClusterRun(seed: 4).run(input: input, output: path("a.h5"), limit: 1, force: false) { _, _ in }
        _ = try LayerClusterRun(seed: 4).run(input: input, output: path("b.h5"), limit: 1, force: false) { _, _ in }
        let a = try HDF5File(path: path("a.h5")), b = try HDF5File(path: path("b.h5"))
        XCTAssertEqual(try a.readFloats("conv/cluster_maps").values, try b.readFloats("conv/cluster_maps").values)
        XCTAssertEqual(try a.readInts("rows").values, [7])
        XCTAssertThrowsError(try LayerClusterRun(seed: 4).run(input: input, output: path("a.h5"), limit: 1, force: false) { _, _ in }) {
            XCTAssertTrue("\($0)".contains("pass --force"), "\($0)")
        }
        XCTAssertNoThrow(try LayerClusterRun(seed: 4).run(input: input, output: path("a.h5"), limit: 1, force: true) { _, _ in })
        XCTAssertThrowsError(try LayerClusterRun(seed: 4).run(input: input, output: input, limit: 1, force: true) { _, _ in }) {
            XCTAssertTrue("\($0)".contains("only files xnn wrote"), "\($0)")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted(), ["a.h5", "b.h5", "layers.h5"])
    }

    func testMapsOfTheWrongShapeAreNamed() throws {
        let input = try writeLayerFile(mapsShape: [2, 25, 20])
        XCTAssertThrowsError(try LayerMaps(path: input)) { error in
            XCTAssertTrue("\(error)".contains("layers/conv/feature_maps"), "\(error)")
            XCTAssertTrue("\(error)".contains("[2, h, w, K]"), "\(error)")
        }
    }

    func testHeatmapOverlapIdentities() {
        XCTAssertEqual(OrthogonalityMetrics(vectors: [[1, 0], [2, 0]]).meanAbsoluteCosine, 1, accuracy: 1e-12)
        XCTAssertEqual(OrthogonalityMetrics(vectors: [[1, 0], [0, 3]]).meanAbsoluteCosine, 0, accuracy: 1e-12)
        XCTAssertEqual(OrthogonalityMetrics(vectors: [[1, 1], [1, 0], [0, 0]]).meanAbsoluteCosine, (0.5.squareRoot() + 0 + 0) / 3, accuracy: 1e-12)
        XCTAssertEqual(OrthogonalityMetrics(vectors: [[1, 2]]).meanAbsoluteCosine, 0)
    }
}
