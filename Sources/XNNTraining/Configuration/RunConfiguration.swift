import XNNModel
import XNNStorage

/// Everything one training run needs, read from a YAML file (docs/configuration.md) or built in
/// Swift (`RunConfiguration(data: DataConfiguration(file: "a.h5"))`, then set what differs). Every
/// setting's default is declared once, on its property; the YAML reader starts from those values.
public struct RunConfiguration: Encodable, Equatable, Sendable {
    /// Seeds initialisation, shuffling, dropout and the random split: same seed, same run.
    public var seed = 1
    public var data: DataConfiguration
    public var model = ModelConfiguration()
    public var loss = LossWeights()
    public var training = TrainingConfiguration()
    public var output = OutputConfiguration()

    enum CodingKeys: String, CodingKey { case seed, data, model, loss, training, output }

    public init(data: DataConfiguration) {
        self.data = data
    }

    /// Reads a configuration file, applies `--set` overrides, checks every key and value, and
    /// resolves the file's relative paths against its folder (ConfigPaths); with `checkFiles`, a
    /// data file that does not exist is named here, with its key.
    public static func load(file: String, overrides: [String] = [], checkFiles: Bool = true) throws -> RunConfiguration {
        var document = try ConfigDocument(contentsOf: file)
        for override in overrides { try document.applyOverride(override) }
        var configuration = try RunConfiguration(section: document.rootSection())
        let overridden = ConfigPaths.overriddenKeys(overrides)
        configuration.resolvePaths(configFile: file, overridden: overridden)
        if checkFiles { try configuration.checkDataFile(configFile: file, overridden: overridden) }
        return configuration
    }

    /// Reads configuration text that was written by a run (model.h5's copy of config.yaml).
    public static func parse(yaml: String, file: String = "(inline)", overrides: [String] = []) throws -> RunConfiguration {
        var document = try ConfigDocument(yaml: yaml, file: file)
        for override in overrides { try document.applyOverride(override) }
        return try RunConfiguration(section: document.rootSection())
    }

    public init(section root: ConfigSection) throws {
        self.init(data: try DataConfiguration(section: root.section(CodingKeys.data)))
        try root.read(&seed, CodingKeys.seed, expected: "a non-negative integer") { $0 >= 0 }
        model = try ModelConfiguration(section: root.section(CodingKeys.model))
        loss = try LossWeights(section: root.section(CodingKeys.loss), kind: model.kind)
        training = try TrainingConfiguration(section: root.section(CodingKeys.training))
        output = try OutputConfiguration(section: root.section(CodingKeys.output))
        try root.finish()
        if data.standardizeActivations && model.outputActivation == .relu {
            throw ConfigError.invalidValue(
                file: root.file, keyPath: "model.output_activation", line: nil,
                expected: "linear (standardised activations are negative, a ReLU output cannot rebuild them)",
                found: "'relu' with data.standardize_activations: true")
        }
    }

    /// This configuration with `--set key.path=value` overrides applied, each checked exactly as
    /// in a file; `source` names it in error messages.
    public func overridden(_ overrides: [String], source: String = "(configuration)") throws -> RunConfiguration {
        overrides.isEmpty ? self : try Self.parse(yaml: try yaml(), file: source, overrides: overrides)
    }

    /// The resolved configuration as YAML, every default written out.
    public func yaml() throws -> String { try YAMLText.encode(self) }
}

public struct OutputConfiguration: Encodable, Equatable, Sendable {
    /// The run directory; by default `runs/` plus the configuration file's name.
    public var directory: String?

    enum CodingKeys: String, CodingKey { case directory }

    public init(directory: String? = nil) {
        self.directory = directory
    }

    public init(section: ConfigSection) throws {
        try section.read(&directory, CodingKeys.directory)
        try section.finish()
    }
}
