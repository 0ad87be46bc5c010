import Foundation
import XNNStorage

/// The files the bad-input suite runs against, written once into a test folder: one small
/// activation file whose extra datasets are each wrong in one way (selected by `--set`), a few
/// whole files that are wrong, a trained run and copies of it that are damaged.
enum BadInputFixtures {
    static let rows = 60, columns = 6

    /// The configuration every training case starts from (tiny: one epoch, no retries).
    static let baseConfiguration = """
        data:
          file: d.h5
        model:
          hidden_widths: [8]
          concepts: 2
        training:
          epochs: 1
          batch_size: 8
          acceptance:
            enabled: false

        """

    static func write(in folder: URL, train: ([String]) throws -> Void) throws {
        func path(_ name: String) -> String { folder.appendingPathComponent(name).path }
        try baseConfiguration.write(toFile: path("ok.yaml"), atomically: true, encoding: .utf8)
        try writeActivations(path("d.h5"))
        try writeSmall(path("two.h5"), rows: 2, columns: columns)
        try writeSmall(path("twelve.h5"), rows: 12, columns: columns)
        try writeSmall(path("five-columns.h5"), rows: rows, columns: 5, outputs: 2)
        try writeSmall(path("wide.h5"), rows: 40, columns: 200)
        let whole = try Data(contentsOf: URL(fileURLWithPath: path("d.h5")))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path("truncated.h5")))
        try "not an HDF5 file\n".write(toFile: path("text.h5"), atomically: true, encoding: .utf8)
        try Data([0xff, 0xfe, 0x00, 0x64, 0x61]).write(to: URL(fileURLWithPath: path("binary.yaml")))
        try FileManager.default.createDirectory(atPath: path("folder"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: path("empty-run"), withIntermediateDirectories: false)

        try train(["train", "ok.yaml", "--out", "run", "--quiet"])
        try damagedRuns(path)
    }

    /// d.h5: good activations and logits, then one bad variant per extra dataset.
    private static func writeActivations(_ file: String) throws {
        let h5 = try HDF5File(path: file, mode: .truncate)
        let activations: [Float] = (0..<(rows * columns)).map { Float(($0 * 7919) % 97) / 50 }
        var logits: [Float] = []
        for r in 0..<rows { logits += [activations[r * columns] - activations[r * columns + 1], activations[r * columns + 2]] }
        try h5.write("activations", floats: activations, shape: [rows, columns])
        try h5.write("logits", floats: logits, shape: [rows, 2])
        try h5.write("class_names", strings: ["three", "eight"])
        var poisoned = activations
        poisoned[7 * columns + 3] = .nan
        try h5.write("acts_nan", floats: poisoned, shape: [rows, columns])
        poisoned[7 * columns + 3] = .infinity
        try h5.write("acts_inf", floats: poisoned, shape: [rows, columns])
        try h5.write("acts_huge", floats: activations.map { $0 * 1e30 }, shape: [rows, columns])
        try h5.write("acts_negative", floats: activations.map { $0 - 1 }, shape: [rows, columns])
        try h5.write("acts_1d", floats: Array(activations.prefix(rows)), shape: [rows])
        try h5.write("acts_zero_columns", floats: [], shape: [rows, 0])
        try h5.write("logits_zero_columns", floats: [], shape: [rows, 0])
        try h5.write("logits_short", floats: Array(logits.prefix(50 * 2)), shape: [50, 2])
        var constant = logits
        for r in 0..<rows { constant[r * 2] = 1.5 }
        try h5.write("logits_constant", floats: constant, shape: [rows, 2])
        try h5.write("mask_float", floats: (0..<rows).map { Float($0 % 10) / 10 + 0.05 }, shape: [rows])
        try h5.write("mask_values", ints: (0..<rows).map { $0 % 4 }, shape: [rows])
        try h5.write("mask_zeros", ints: [Int](repeating: 0, count: rows), shape: [rows])
        try h5.write("mask_ones", bytes: [UInt8](repeating: 1, count: rows), shape: [rows])
        try h5.write("mask_short", ints: (0..<(rows - 1)).map { $0 % 5 == 0 ? 1 : 0 }, shape: [rows - 1])
        try h5.write("mask_2d", ints: (0..<(rows * 2)).map { $0 % 2 }, shape: [rows, 2])
        try h5.write("groups_float", floats: (0..<rows).map { Float($0 / 3) + 0.5 }, shape: [rows])
        try h5.finishWriting()
    }

    private static func writeSmall(_ file: String, rows: Int, columns: Int, outputs: Int = 1) throws {
        let h5 = try HDF5File(path: file, mode: .truncate)
        let activations = (0..<(rows * columns)).map { Float(($0 * 7919) % 97) / 50 }
        try h5.write("activations", floats: activations, shape: [rows, columns])
        let logits = (0..<(rows * outputs)).map { activations[$0 / outputs * columns + $0 % outputs] - activations[$0 / outputs * columns + 2] }
        try h5.write("logits", floats: logits, shape: [rows, outputs])
        try h5.finishWriting()
    }

    /// Copies of the trained run: NaN weights, a model.h5 that is no model, a truncated model.h5,
    /// attributes that describe no model (0 concepts, 10¹² inputs, dropout 5).
    private static func damagedRuns(_ path: (String) -> String) throws {
        let manager = FileManager.default
        for name in ["run-nan", "run-not-model", "run-truncated", "run-no-concepts", "run-huge", "run-dropout"] {
            try manager.copyItem(atPath: path("run"), toPath: path(name))
        }
        for (name, key, value) in [("run-no-concepts", "concepts", 0.0), ("run-huge", "input_dimension", 1e12), ("run-dropout", "dropout", 5.0)] {
            let damaged = try HDF5File(path: path(name + "/model.h5"), mode: .readWrite)
            try damaged.setAttribute(key, value)
            try damaged.finishWriting()
        }
        let poisoned = try HDF5File(path: path("run-nan/model.h5"), mode: .readWrite)
        try poisoned.writeFloatRows("encoder/0/weight", rows: 0..<1, from: [Float](repeating: .nan, count: columns))
        try poisoned.finishWriting()
        try manager.removeItem(atPath: path("run-not-model/model.h5"))
        try manager.copyItem(atPath: path("two.h5"), toPath: path("run-not-model/model.h5"))
        let model = try Data(contentsOf: URL(fileURLWithPath: path("run-truncated/model.h5")))
        try model.prefix(model.count / 3).write(to: URL(fileURLWithPath: path("run-truncated/model.h5")))
    }
}
