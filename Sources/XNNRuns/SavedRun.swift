import Foundation
import XNNModel
import XNNStorage
import XNNTraining

/// A finished run directory read back: its model file and resolved configuration.
public struct SavedRun {
    public let directory: String
    public let modelFile: ModelFile
    public let configuration: RunConfiguration

    public init(directory: String) throws {
        self.directory = directory
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            throw RunError.notARun(path: directory, reason: "no such directory")
        }
        guard isDirectory.boolValue else {
            throw RunError.notARun(path: directory, reason: "found a file (xnn inspect lists the contents of an HDF5 file)")
        }
        let modelPath = (directory as NSString).appendingPathComponent("model.h5")
        guard FileManager.default.fileExists(atPath: modelPath) else {
            throw RunError.notARun(path: directory, reason: "it has no model.h5 (was the training finished?)")
        }
        modelFile = try ModelFile.read(from: modelPath)
        configuration = try RunConfiguration.parse(yaml: modelFile.configuration, file: modelPath + " (config attribute)")
    }

    public var model: any ConceptModel { modelFile.model }

    /// The run's data, or another file with the same layout, through the model's own normalisation.
    /// Another file is split by the configured mask when it has that dataset, else taken whole.
    public func loadData(file: String? = nil) throws -> ActivationData {
        var data = configuration.data
        data.targetColumns = modelFile.targetColumns
        if let file, file != data.file {
            data.file = file
            data.testFraction = 0
            if let mask = data.testMask, !(try HDF5FileProbe.contains(file: file, dataset: mask)) { data.testMask = nil }
        }
        return try ActivationData.load(data, seed: configuration.seed,
                                       normalizations: (modelFile.activationNormalization, modelFile.targetNormalization))
    }
}

extension SavedRun {
    /// `loadData`, refusing a file whose feature or target count differs from the model's.
    public func loadMatchingData(file: String? = nil) throws -> ActivationData {
        let data = try loadData(file: file)
        let architecture = model.architecture
        guard data.inputDimension == architecture.inputDimension, data.outputCount == architecture.outputs else {
            throw DataError.rankMismatch(file: data.file, dataset: configuration.data.activations,
                                         expected: "\(architecture.inputDimension) features and \(architecture.outputs) targets, as the model was trained on",
                                         found: [data.sampleCount, data.inputDimension])
        }
        return data
    }
}

/// Whether a file holds a dataset (a missing file reports as such when it is loaded).
enum HDF5FileProbe {
    static func contains(file: String, dataset: String) throws -> Bool {
        guard FileManager.default.fileExists(atPath: file) else { return false }
        let h5 = try HDF5File(path: file)
        defer { h5.close() }
        return h5.contains(dataset)
    }
}
