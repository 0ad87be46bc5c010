import Foundation
import XNNStorage
import XNNTestSupport

/// The files the command tests train on, written once here.
extension FolderTestCase {
    /// `d.h5`: `rows` × 6 activations in a fixed pattern (no random draws) and one logit, the
    /// difference of the first two features.
    func writeTinyData(rows: Int = 80) throws {
        let file = try HDF5File(path: path("d.h5"), mode: .truncate)
        let values = (0..<(rows * 6)).map { Float(($0 * 7919) % 97) / 50 }
        try file.write("activations", floats: values, shape: [rows, 6])
        try file.write("logits", floats: (0..<rows).map { values[$0 * 6] - values[$0 * 6 + 1] }, shape: [rows, 1])
        file.close()
    }

    /// `text` as the file `name` in the test's folder.
    func write(_ text: String, _ name: String) throws {
        try text.write(toFile: path(name), atomically: true, encoding: .utf8)
    }
}
