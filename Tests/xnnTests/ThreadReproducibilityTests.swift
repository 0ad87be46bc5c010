import Foundation
import XCTest
import XNNTestSupport
import XNNStorage

/// Same seed, same bits, whatever the thread count (docs/reliability.md): `xnn train` at
/// `training.threads` 1, 2 and 0 (auto) writes identical datasets and metrics.
final class ThreadReproducibilityTests: FolderTestCase {
    /// 400 input columns: the first layer's products then have K = 400, between one and two of
    /// OpenBLAS's K blocks, where its threaded sums differed from its single-threaded ones.
    func writeData(rows: Int = 320, columns: Int = 400) throws {
        let file = try HDF5File(path: path("d.h5"), mode: .truncate)
        var values = [Float]()
        for i in 0..<(rows * columns) { values.append(Float((i * 7919 + i / columns * 31) % 97) / 50 - 0.4) }
        values = values.map { max(0, $0) }
        let targets = (0..<rows).map { r in (0..<8).reduce(Float(0)) { $0 + values[r * columns + $1 * 37] * Float($1 % 3) - 0.5 } }
        try file.write("activations", floats: values, shape: [rows, columns])
        try file.write("logits", floats: targets, shape: [rows, 1])
        file.close()
    }

    let configuration = "data:\n  file: d.h5\nmodel:\n  hidden_widths: [256, 32]\n  concepts: 3\ntraining:\n  epochs: 3\n  batch_size: 64\n"

    func testThreadCountsGiveBitIdenticalRuns() throws {
        try writeData()
        try configuration.write(toFile: path("c.yaml"), atomically: true, encoding: .utf8)
        for threads in [1, 2, 0] {
            let result = try XNNProcess.run(["train", "c.yaml", "--quiet", "--out", "t\(threads)", "--set", "training.threads=\(threads)"],
                                            in: folder)
            XCTAssertEqual(result.status, 0, result.stderr)
        }
        for other in ["t2", "t0"] {
            for file in ["model.h5", "concepts.h5"] {
                try assertSameDatasets(path("t1/" + file), path("\(other)/" + file))
            }
            XCTAssertEqual(try metricsWithoutTimings(path("t1/metrics.json")), try metricsWithoutTimings(path("\(other)/metrics.json")),
                           "metrics.json of t1 and \(other)")
        }
    }

    /// A sweep keeps the configuration's own `training.threads` (one default for both commands), and
    /// its run equals the same training alone, bit for bit.
    func testASweepRunEqualsTheSameTrainingAlone() throws {
        try writeData()
        try configuration.write(toFile: path("c.yaml"), atomically: true, encoding: .utf8)
        try "base: c.yaml\noutput: sweep\njobs: 1\ngrid:\n  seed: [3]\n".write(toFile: path("s.yaml"), atomically: true, encoding: .utf8)
        let sweep = try XNNProcess.run(["sweep", "s.yaml"], in: folder)
        XCTAssertEqual(sweep.status, 0, sweep.stderr)
        let alone = try XNNProcess.run(["train", "c.yaml", "--quiet", "--out", "alone", "--set", "seed=3"], in: folder)
        XCTAssertEqual(alone.status, 0, alone.stderr)
        let threadLines = try ["sweep/seed-3", "alone"].map { run in
            try String(contentsOfFile: path(run + "/config.yaml"), encoding: .utf8).split(separator: "\n").filter { $0.contains("threads:") }
        }
        XCTAssertEqual(threadLines[0], threadLines[1])
        XCTAssertEqual(threadLines[1], ["  threads: 0"])
        for file in ["model.h5", "concepts.h5"] { try assertSameDatasets(path("sweep/seed-3/" + file), path("alone/" + file)) }
        XCTAssertEqual(try metricsWithoutTimings(path("sweep/seed-3/metrics.json")), try metricsWithoutTimings(path("alone/metrics.json")))
    }

    /// Every dataset of two HDF5 files: the same names, shapes and bits.
    func assertSameDatasets(_ first: String, _ second: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let a = try HDF5File(path: first), b = try HDF5File(path: second)
        XCTAssertEqual(a.datasetNames(), b.datasetNames(), file: file, line: line)
        XCTAssertFalse(a.datasetNames().isEmpty, first, file: file, line: line)
        for name in a.datasetNames() {
            let info = try a.info(name)
            XCTAssertEqual(info, try b.info(name), name, file: file, line: line)
            switch info.elementType {
            case .float(bytes: 4):
                let x = try a.readFloats(name).values, y = try b.readFloats(name).values
                let differing = zip(x, y).filter { $0.bitPattern != $1.bitPattern }.count
                XCTAssertEqual(differing, 0, "\(name): \(differing) of \(x.count) values differ (\(first) against \(second))",
                               file: file, line: line)
            case .string:
                XCTAssertEqual(try a.readStrings(name), try b.readStrings(name), name, file: file, line: line)
            default:
                XCTAssertEqual(try a.readDoubles(name).values, try b.readDoubles(name).values, name, file: file, line: line)
            }
        }
    }

    /// metrics.json as a JSON tree without timing fields (keys naming seconds or a rate per second).
    func metricsWithoutTimings(_ file: String) throws -> NSDictionary {
        func strip(_ node: Any) -> Any {
            if let dictionary = node as? [String: Any] {
                return dictionary.filter { !$0.key.contains("seconds") && !$0.key.contains("per_second") }.mapValues(strip)
            }
            if let array = node as? [Any] { return array.map(strip) }
            return node
        }
        let tree = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file)))
        return try XCTUnwrap(strip(tree) as? [String: Any]) as NSDictionary
    }
}
