import Foundation
import XNNStorage

/// The checkpoint inside an HDF5 file: `training/state` (one JSON string, every scalar and record;
/// non-finite numbers as "nan"/"inf"), `training/parameters/<i>`, `training/adam_first/<i>`,
/// `training/adam_second/<i>`, `training/best_epoch/<i>`, `training/best_attempt/<i>` (float32, in
/// the model's parameter order) and `training/batch_order` (int64). Floats are stored as they are,
/// so a restored run continues bit for bit.
extension TrainingCheckpoint {
    static let group = "training"
    private static let nonFinite = (positive: "inf", negative: "-inf", nan: "nan")

    public func write(to file: HDF5File) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: Self.nonFinite.positive, negativeInfinity: Self.nonFinite.negative, nan: Self.nonFinite.nan)
        try file.write("\(Self.group)/state", strings: [String(decoding: try encoder.encode(state), as: UTF8.self)])
        for (name, arrays) in arrayGroups {
            for (index, values) in arrays.enumerated() {
                try file.write("\(Self.group)/\(name)/\(index)", floats: values, shape: [values.count])
            }
        }
        try file.write("\(Self.group)/batch_order", ints: batchOrder, shape: [batchOrder.count])
    }

    public init(from file: HDF5File) throws {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: Self.nonFinite.positive, negativeInfinity: Self.nonFinite.negative, nan: Self.nonFinite.nan)
        guard let text = try file.readStrings("\(Self.group)/state").first else {
            throw CheckpointError.inconsistent("\(Self.group)/state is empty")
        }
        state = try decoder.decode(State.self, from: Data(text.utf8))
        func arrays(_ name: String) throws -> [[Float]] {
            var result: [[Float]] = []
            while file.contains("\(Self.group)/\(name)/\(result.count)") {
                result.append(try file.readFloats("\(Self.group)/\(name)/\(result.count)").values)
            }
            return result
        }
        parameters = try arrays("parameters")
        firstMoments = try arrays("adam_first")
        secondMoments = try arrays("adam_second")
        bestEpochParameters = try arrays("best_epoch")
        bestAttemptParameters = try arrays("best_attempt")
        batchOrder = try file.readInts("\(Self.group)/batch_order").values
    }

    private var arrayGroups: [(String, [[Float]])] {
        [("parameters", parameters), ("adam_first", firstMoments), ("adam_second", secondMoments),
         ("best_epoch", bestEpochParameters), ("best_attempt", bestAttemptParameters)]
    }
}
