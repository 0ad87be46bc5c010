import XNNLinearAlgebra
import XNNModel
import XNNStorage
import XNNTraining

/// model.h5: every weight of the model, the normalisation statistics, the shape and the resolved
/// configuration, enough to rebuild the model without the config file.
///
/// Layout: for an SRAE (and the PCA and autoencoder baselines) `encoder/<i>/weight|bias`,
/// `decoder/<i>/weight|bias`; for NMF `nmf/basis` (k × D); always `predictor/weight|bias` (weights
/// outputs × inputs, biases 1-D), `normalization/activation_mean|activation_scale|target_mean|target_scale`,
/// `target_columns`, `target_names`; root attributes `format` = "xnn-model", `format_version`, `model_type`
/// ("srae" or "nmf"), `input_dimension`, `concepts`, `outputs`, `hidden_widths`, `dropout`,
/// `output_activation`, `concept_activation`, `hidden_activation`, `config`. Files written before
/// `hidden_activation` was recorded are read as ReLU, the only hidden activation xnn has built.
public struct ModelFile {
    public let model: any ConceptModel
    public let activationNormalization: Normalization
    public let targetNormalization: Normalization
    public let targetColumns: [Int]
    public let targetNames: [String]
    public let configuration: String

    public init(model: any ConceptModel, activationNormalization: Normalization, targetNormalization: Normalization,
                targetColumns: [Int], targetNames: [String], configuration: String) {
        self.model = model
        self.activationNormalization = activationNormalization
        self.targetNormalization = targetNormalization
        self.targetColumns = targetColumns
        self.targetNames = targetNames
        self.configuration = configuration
    }

    /// Biases are stored 1-D, weights as outputs × inputs.
    static func shape(of parameter: Parameter) -> [Int] {
        parameter.name.hasSuffix(".bias") ? [parameter.value.count] : [parameter.value.rows, parameter.value.columns]
    }

    static func datasetName(_ parameterName: String) -> String { parameterName.replacingOccurrences(of: ".", with: "/") }

    public func write(to path: String) throws {
        let file = try HDF5File(path: path, mode: .truncate)
        defer { file.close() }
        let architecture = model.architecture
        let parameters: [Parameter]
        switch model {
        case let srae as SRAE:
            parameters = srae.parameters
            try file.setAttribute("model_type", "srae")
        case let nmf as NonNegativeFactorizationModel:
            parameters = nmf.predictor.parameters
            try file.write("nmf/basis", floats: nmf.basis.toArray(), shape: [nmf.basis.rows, nmf.basis.columns])
            try file.setAttribute("model_type", "nmf")
        default:
            throw RunError.cannotWrite(path: path, reason: "no model file layout for \(type(of: model))")
        }
        for parameter in parameters {
            try file.write(Self.datasetName(parameter.name), floats: parameter.value.toArray(), shape: Self.shape(of: parameter))
        }
        try file.write("normalization/activation_mean", floats: activationNormalization.mean, shape: [architecture.inputDimension])
        try file.write("normalization/activation_scale", floats: activationNormalization.scale, shape: [architecture.inputDimension])
        try file.write("normalization/target_mean", floats: targetNormalization.mean, shape: [architecture.outputs])
        try file.write("normalization/target_scale", floats: targetNormalization.scale, shape: [architecture.outputs])
        try file.write("target_columns", ints: targetColumns, shape: [targetColumns.count])
        try file.write("target_names", strings: targetNames)
        try file.setAttribute("format", "xnn-model")
        try file.setAttribute("format_version", 1)
        try file.setAttribute("input_dimension", architecture.inputDimension)
        try file.setAttribute("concepts", architecture.concepts)
        try file.setAttribute("outputs", architecture.outputs)
        try file.setAttribute("hidden_widths", architecture.hiddenWidths.map(String.init).joined(separator: ","))
        try file.setAttribute("dropout", Double(String(architecture.dropout)) ?? Double(architecture.dropout))  // the Float as written, not its binary widening
        try file.setAttribute("output_activation", architecture.outputActivation.rawValue)
        try file.setAttribute("concept_activation", architecture.conceptActivation.rawValue)
        try file.setAttribute(Self.hiddenActivationKey, SRAEArchitecture.hiddenActivation.rawValue)
        try file.setAttribute("config", configuration)
        try file.finishWriting()
    }

    public static func read(from path: String) throws -> ModelFile {
        let file = try HDF5File(path: path)
        defer { file.close() }
        guard (try? file.stringAttribute("format")) == "xnn-model" else {
            throw RunError.notAModelFile(path: path, reason: "found no format = xnn-model attribute")
        }
        let widths = try file.stringAttribute("hidden_widths").split(separator: ",").compactMap { Int($0) }
        guard let activation = Activation(rawValue: try file.stringAttribute("output_activation")) else {
            throw RunError.notAModelFile(path: path, reason: "found an unknown output_activation")
        }
        let dropout = try file.numberAttribute("dropout")
        guard widths.allSatisfy({ $0 > 0 }), dropout >= 0 && dropout < 1 else {
            throw RunError.notAModelFile(path: path, reason: "found hidden_widths = \(widths) and dropout = \(dropout), expected positive widths and a dropout in [0, 1)")
        }
        var architecture = SRAEArchitecture(
            inputDimension: try count("input_dimension", in: file), hiddenWidths: widths,
            concepts: try count("concepts", in: file), outputs: try count("outputs", in: file),
            dropout: Float(dropout), outputActivation: activation)
        if let concept = try? file.stringAttribute("concept_activation"), let parsed = Activation(rawValue: concept) {
            architecture.conceptActivation = parsed
        }
        try checkHiddenActivation(in: file)
        let isNMF = (try? file.stringAttribute("model_type")) == "nmf"
        try checkStoredWeights(architecture, encoder: !isNMF, in: file)
        let model: any ConceptModel, parameters: [Parameter]
        if isNMF {
            let (values, shape) = try file.readFloats("nmf/basis")
            guard shape == [architecture.concepts, architecture.inputDimension] else {
                throw RunError.notAModelFile(path: path, reason: "'nmf/basis' has shape \(shape), expected [\(architecture.concepts), \(architecture.inputDimension)]")
            }
            let nmf = NonNegativeFactorizationModel(basis: Matrix(rows: shape[0], columns: shape[1], values: values), outputs: architecture.outputs)
            (model, parameters) = (nmf, nmf.predictor.parameters)
        } else {
            let srae = SRAE(architecture: architecture)
            (model, parameters) = (srae, srae.parameters)
        }
        for parameter in parameters {
            let name = datasetName(parameter.name)
            let (values, shape) = try file.readFloats(name)
            guard shape == Self.shape(of: parameter) else {
                throw RunError.notAModelFile(path: path, reason: "'\(name)' has shape \(shape), expected \(Self.shape(of: parameter))")
            }
            try checkFinite(values, name: name, path: path)
            values.withUnsafeBufferPointer { parameter.value.storage.update(from: $0.baseAddress!, count: values.count) }
        }
        func statistics(_ name: String) throws -> [Float] {
            let values = try file.readFloats("normalization/\(name)").values
            try checkFinite(values, name: "normalization/\(name)", path: path)
            return values
        }
        return ModelFile(
            model: model,
            activationNormalization: Normalization(mean: try statistics("activation_mean"), scale: try statistics("activation_scale")),
            targetNormalization: Normalization(mean: try statistics("target_mean"), scale: try statistics("target_scale")),
            targetColumns: try file.readInts("target_columns").values,
            targetNames: try file.readStrings("target_names"),
            configuration: try file.stringAttribute("config"))
    }

    static let hiddenActivationKey = "hidden_activation"

    /// The hidden layers xnn builds use one activation; a file saying otherwise was not written by
    /// this xnn and would be read wrongly. An absent attribute (older files) means that activation.
    private static func checkHiddenActivation(in file: HDF5File) throws {
        guard try file.attributeNames().contains(hiddenActivationKey) else { return }
        let found = try file.stringAttribute(hiddenActivationKey), expected = SRAEArchitecture.hiddenActivation.rawValue
        guard found == expected else {
            throw RunError.notAModelFile(path: file.path, reason: "found \(hiddenActivationKey) = \(found), expected \(expected) (the only hidden activation xnn builds)")
        }
    }

    /// A positive whole-number attribute, checked before the conversion (which traps on NaN or 1e300).
    private static func count(_ key: String, in file: HDF5File) throws -> Int {
        let value = try file.numberAttribute(key)
        guard value.isFinite, value == value.rounded(), value >= 1, value <= 1e12 else {
            throw RunError.notAModelFile(path: file.path, reason: "found \(key) = \(value), expected a positive whole number")
        }
        return Int(value)
    }

    /// The weights the attributes describe must be stored in the file: a damaged attribute must
    /// not make the reader allocate a model of terabytes.
    private static func checkStoredWeights(_ architecture: SRAEArchitecture, encoder: Bool, in file: HDF5File) throws {
        let widths = (encoder ? architecture.encoderWidths : [architecture.concepts]).map(Double.init)  // NMF: its basis is read as stored
        let weights = zip(widths, widths.dropFirst()).reduce(0) { $0 + $1.0 * $1.1 } + widths.last! * Double(architecture.outputs)
        let stored = try file.datasetNames().reduce(0.0) { $0 + Double(try file.info($1).shape.reduce(1, *)) }
        guard weights <= stored else {
            throw RunError.notAModelFile(path: file.path, reason: String(format: "found attributes describing %.0f weights but only %.0f stored values", weights, stored))
        }
    }

    /// A weight that is NaN or infinite (a diverged or damaged model) would turn every output into NaN.
    private static func checkFinite(_ values: [Float], name: String, path: String) throws {
        if let index = values.firstIndex(where: { !$0.isFinite }) {
            throw RunError.notAModelFile(path: path, reason: "found \(values[index]) in '\(name)' at index \(index) (weights must be finite numbers)")
        }
    }
}
