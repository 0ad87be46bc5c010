import Foundation
import XNNStorage
import XNNTraining

/// `xnn encode`: a trained run's concepts, contributions and predictions for the rows of an
/// activation file, written as a concepts.h5 (ConceptsFile). An existing file is replaced only
/// with `force`, and only when xnn wrote it.
public enum RunEncoding {
    public static func encode(_ run: SavedRun, dataFile: String, output: String, force: Bool) throws -> Int {
        if FileManager.default.fileExists(atPath: output) {
            guard force else { throw RunError.cannotWrite(path: output, reason: "it exists; pass --force to replace it") }
            guard (try? HDF5File(path: output).stringAttribute("format")) == ConceptsFile.format else {
                throw RunError.notReplaceableFile(path: output, format: ConceptsFile.format)
            }
        }
        let data = try run.loadMatchingData(file: dataFile)
        let outputs = try ModelOutputs(model: run.model, data: data, rows: Array(0..<data.sampleCount),
                                       logPenaltyStrength: Double(run.configuration.loss.logPenaltyStrength))
        try ConceptsFile.write(to: output, outputs: outputs, data: data, predictorWeights: run.model.predictor.weight.value)
        return data.sampleCount
    }
}
