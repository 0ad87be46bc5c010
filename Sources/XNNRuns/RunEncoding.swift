import XNNTraining

/// `xnn encode`: a trained run's concepts, contributions and predictions for the rows of an
/// activation file, written as a concepts.h5 (ConceptsFile). An existing file is replaced only
/// with `force`, and only when xnn wrote it.
public enum RunEncoding {
    public static func encode(_ run: SavedRun, dataFile: String, output: String, force: Bool) throws -> Int {
        try AtomicFile.checkReplaceableHDF5(output, force: force, format: ConceptsFile.format)
        let data = try run.loadMatchingData(file: dataFile)
        let outputs = try ModelOutputs(model: run.model, data: data, rows: Array(0..<data.sampleCount),
                                       logPenaltyStrength: Double(run.configuration.loss.logPenaltyStrength))
        try ConceptsFile.write(to: output, outputs: outputs, data: data, predictorWeights: run.model.predictor.weight.value)
        return data.sampleCount
    }
}
